/**
 * The standalone server: {@link dev.realtime.jakarta.server.RealtimeServer} serves the native WebSocket endpoint
 * and the HTTP API on one Grizzly port; {@link dev.realtime.jakarta.server.ServerOptions} parses its flags.
 */
package dev.realtime.jakarta.server;
