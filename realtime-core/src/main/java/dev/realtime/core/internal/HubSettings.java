package dev.realtime.core.internal;

import java.time.Duration;

/** Immutable hub configuration, built and validated by {@code RealtimeHub.Builder}. */
public record HubSettings(Duration heartbeatInterval, Duration heartbeatTimeout, int sendQueueCapacity,
                          Duration slowConsumerTimeout, int maxFrameBytes, int maxReplay, int conflateAfter,
                          dev.realtime.core.security.TrustedProxies trustedProxies) {
}
