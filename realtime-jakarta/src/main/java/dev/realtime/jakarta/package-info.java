/**
 * Jakarta WebSocket adapter: {@link dev.realtime.jakarta.RealtimeEndpoint} attaches connections of any Jakarta
 * WebSocket 2.1 container to a {@link dev.realtime.core.RealtimeHub} through a
 * {@link dev.realtime.jakarta.JakartaTransport}.
 */
package dev.realtime.jakarta;
