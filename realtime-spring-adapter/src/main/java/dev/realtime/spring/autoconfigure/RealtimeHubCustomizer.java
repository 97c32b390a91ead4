package dev.realtime.spring.autoconfigure;

import dev.realtime.core.RealtimeHub;

/**
 * Callback that adjusts the auto-configured hub's {@link RealtimeHub.Builder} after the {@code realtime.*}
 * properties were applied and before the hub is built: register room rules, a subscription policy, a clock, your
 * own executors, etc. Customizer beans run in {@link org.springframework.core.annotation.Order @Order} /
 * {@link org.springframework.core.Ordered} order.
 *
 * <pre>{@code
 * @Bean
 * RealtimeHubCustomizer contestRooms(ContestService contests) {
 *     return hub -> hub.allowRooms("contest:", (client, room) -> contests.isParticipant(client, room));
 * }
 * }</pre>
 *
 * <p>Note that the builder's one-shot setters ({@code historyStore}, {@code broker}, {@code recoveryLog},
 * {@code authenticator}, executors) fail when set twice: with {@code realtime.redis.url} the Redis
 * customizer already sets the store, broker and recovery log, and with {@code realtime.jwt.*} (or an
 * {@link dev.realtime.core.security.Authenticator} bean) the authenticator is set.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RealtimeHubCustomizer {

    /** Customizes the builder; called once, on the thread creating the hub bean. */
    void customize(RealtimeHub.Builder builder);
}
