/**
 * The Java client for the native protocol: {@link dev.realtime.jakarta.client.RealtimeClient}, with reconnects,
 * resume by offset, heartbeats, an offline queue and typed listeners.
 */
package dev.realtime.jakarta.client;
