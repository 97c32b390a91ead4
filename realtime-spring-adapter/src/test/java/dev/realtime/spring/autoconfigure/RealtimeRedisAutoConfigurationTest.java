package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.redis.RedisBroker;
import dev.realtime.redis.RedisHistoryStore;
import dev.realtime.redis.RedisRecoveryLog;
import dev.realtime.redis.RedisTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Redis on by {@code realtime.redis.url}, against a real redis-server. */
class RealtimeRedisAutoConfigurationTest {
    private static RedisTestServer redis;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
                    RealtimeHealthAutoConfiguration.class));

    @BeforeAll
    static void startRedis() {
        redis = RedisTestServer.start(false);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void urlTurnsOnRedisHistoryBrokerAndRecoveryLog() {
        runner.withPropertyValues("realtime.redis.url=" + redis.url(),
                "realtime.redis.key-prefix=spring-test-" + System.nanoTime() + ":").run(ctx -> {
                    assertThat(ctx).hasSingleBean(RedisHistoryStore.class).hasSingleBean(RedisBroker.class)
                            .hasSingleBean(RedisRecoveryLog.class);
                    RealtimeHub hub = ctx.getBean(RealtimeHub.class);
                    assertThat(hub.engine().broker).isSameAs(ctx.getBean(Broker.class));

                    hub.jobs().progress("r-1", 50, "half way");
                    // the event went through the Redis history store
                    HistoryStore store = ctx.getBean(HistoryStore.class);
                    assertThat(store.read("job:r-1", 0, 10).entries()).extracting(HistoryEntry::event)
                            .containsExactly("job:progress");

                    RealtimeHealthIndicator health = ctx.getBean(RealtimeHealthIndicator.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> ctx.getBean(RedisBroker.class).connected());
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(health.health().getDetails()).containsEntry("broker", "connected");
                });
    }

    @Test
    void healthIsDownWhileTheBrokerIsDisconnected() {
        // nothing listens on port 1: the broker keeps retrying in the background
        runner.withPropertyValues("realtime.redis.url=redis://127.0.0.1:1").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            RealtimeHealthIndicator health = ctx.getBean(RealtimeHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails()).containsEntry("broker", "disconnected");
        });
    }

    @Test
    void applicationStoreReplacesTheRedisOne() {
        runner.withUserConfiguration(OwnStore.class).withPropertyValues("realtime.redis.url=" + redis.url())
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(HistoryStore.class).doesNotHaveBean(RedisHistoryStore.class)
                            .hasSingleBean(RedisBroker.class).hasSingleBean(RecoveryLog.class);
                    ctx.getBean(RealtimeHub.class).jobs().progress("o-1", 1, null);
                    assertThat(ctx.getBean(HistoryStore.class).read("job:o-1", 0, 10).entries()).hasSize(1);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean
        HistoryStore myHistoryStore() {
            return HistoryStore.inMemory(10, Duration.ofMinutes(1), java.time.Clock.systemUTC());
        }
    }
}
