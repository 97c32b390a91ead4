package dev.realtime.spring.autoconfigure;

import dev.realtime.core.HubStats;
import dev.realtime.core.RealtimeHub;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters over {@link RealtimeHub#stats()}: gauges {@code realtime.connections} and
 * {@code realtime.rooms}, and function counters {@code realtime.published}, {@code realtime.messages.in},
 * {@code realtime.messages.out}, {@code realtime.conflated}, {@code realtime.slow.consumer.closes},
 * {@code realtime.heartbeat.closes}, {@code realtime.protocol.errors}, {@code realtime.auth.failures},
 * {@code realtime.rate.limited}, {@code realtime.abuse.closes} and {@code realtime.handshakes.rejected}.
 * Meters read the hub when scraped; they hold no state of their own.
 *
 * @since 0.1
 */
public class RealtimeMetrics implements MeterBinder {
    private final RealtimeHub hub;

    /** @param hub the hub to observe (not owned) */
    public RealtimeMetrics(RealtimeHub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("realtime.connections", hub, h -> h.stats().connections())
                .description("Open WebSocket connections on this node").baseUnit("connections").register(registry);
        Gauge.builder("realtime.rooms", hub, h -> h.stats().rooms())
                .description("Rooms with at least one local member").baseUnit("rooms").register(registry);
        counter(registry, "realtime.published", "Events published through this hub", HubStats::published);
        counter(registry, "realtime.messages.in", "Inbound frames received", HubStats::messagesIn);
        counter(registry, "realtime.messages.out", "Frames written to clients", HubStats::messagesOut);
        counter(registry, "realtime.conflated", "Queued progress frames replaced by a newer one for a slow client",
                HubStats::conflated);
        counter(registry, "realtime.slow.consumer.closes", "Connections closed for a send queue over its bound",
                HubStats::slowConsumerCloses);
        counter(registry, "realtime.heartbeat.closes", "Connections closed because the client went silent",
                HubStats::heartbeatCloses);
        counter(registry, "realtime.protocol.errors", "Inbound frames answered with an error or a protocol close",
                HubStats::protocolErrors);
        counter(registry, "realtime.auth.failures", "Tokens refused", HubStats::authFailures);
        counter(registry, "realtime.rate.limited", "Messages, subscriptions or handshakes refused by a limit",
                HubStats::rateLimited);
        counter(registry, "realtime.abuse.closes", "Connections closed for breaking a limit repeatedly",
                HubStats::abuseCloses);
        counter(registry, "realtime.handshakes.rejected", "Upgrade requests refused (origin, rate, per address)",
                HubStats::handshakesRejected);
    }

    private void counter(MeterRegistry registry, String name, String description,
                         java.util.function.ToLongFunction<HubStats> value) {
        ToDoubleFunction<RealtimeHub> read = h -> value.applyAsLong(h.stats());
        FunctionCounter.builder(name, hub, read).description(description).register(registry);
    }
}
