package dev.realtime.spring.autoconfigure;

import dev.realtime.core.HubStats;
import dev.realtime.core.RealtimeHub;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Actuator health of the hub: {@code UP} while it runs (details: connections, rooms, broker), {@code DOWN} once
 * closed. With Redis, also {@code DOWN} while the Redis broker has no subscription ({@code broker: disconnected}):
 * local delivery goes on, but events published on other nodes do not arrive here until it reconnects.
 *
 * @since 0.1
 */
public class RealtimeHealthIndicator extends AbstractHealthIndicator {

    private final RealtimeHub hub;

    /** @param hub the hub to report on (not owned) */
    public RealtimeHealthIndicator(RealtimeHub hub) {
        super("realtime health check failed");
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!hub.isRunning()) {
            builder.down().withDetail("hub", "closed");
            return;
        }
        HubStats stats = hub.stats();
        builder.up().withDetail("hub", "running")
                .withDetail("connections", stats.connections())
                .withDetail("rooms", stats.rooms());
        if (!hub.isClustered()) {
            builder.withDetail("broker", "local");
            return;
        }
        boolean connected = hub.clusterConnected();
        builder.withDetail("broker", connected ? "connected" : "disconnected");
        if (!connected) {
            builder.down();
        }
    }
}
