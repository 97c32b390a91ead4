/**
 * The bridge between Spring's servlet WebSocket support and the hub:
 * {@link dev.realtime.spring.RealtimeWebSocketHandler} (one per protocol) and
 * {@link dev.realtime.spring.RealtimeHandshakeInterceptor} (admission checks answered at HTTP level).
 *
 * @since 0.1
 */
package dev.realtime.spring;
