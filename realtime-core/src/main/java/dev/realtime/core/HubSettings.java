package dev.realtime.core;

import java.time.Duration;

/**
 * The settings a hub runs with, as built and validated by {@link RealtimeHub.Builder} (read them with
 * {@link RealtimeHub#settings()}). Immutable.
 *
 * @param heartbeatInterval   native-protocol ping interval
 * @param heartbeatTimeout    how long after a missed pong a native client is closed
 * @param sendQueueCapacity   frames a connection's send queue holds before it counts as slow
 * @param sendQueueBytes      bytes a connection's send queue holds before it counts as slow
 * @param slowConsumerTimeout how long a queue may stay over its bound before the connection is closed
 * @param maxFrameBytes       largest inbound frame
 * @param maxReplay           most events replayed on one resume (a longer gap is reported as not recovered)
 * @param conflateAfter       queued progress frames after which a newer one replaces the older of its stream
 * @param trustedProxies      proxies whose forwarded client address is believed
 * @since 0.2
 */
public record HubSettings(Duration heartbeatInterval, Duration heartbeatTimeout, int sendQueueCapacity,
                          long sendQueueBytes, Duration slowConsumerTimeout, int maxFrameBytes, int maxReplay, int conflateAfter,
                          dev.realtime.core.security.TrustedProxies trustedProxies) {
}
