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
    void urlTurnsOnTheWholeRedisBackend() {
        runner.withPropertyValues("realtime.redis.url=" + redis.url(),
                "realtime.redis.key-prefix=spring-test-" + System.nanoTime() + ":").run(ctx -> {
                    assertThat(ctx).hasSingleBean(dev.realtime.redis.RedisBackend.class);
                    dev.realtime.redis.RedisBackend backend = ctx.getBean(dev.realtime.redis.RedisBackend.class);
                    RealtimeHub hub = ctx.getBean(RealtimeHub.class);
                    // every part of the cluster state is Redis: history, broker, recovery, presence, registry
                    assertThat(hub.parts().broker()).isSameAs(backend.broker()).isInstanceOf(RedisBroker.class);
                    assertThat(hub.parts().history()).isSameAs(backend.history()).isInstanceOf(RedisHistoryStore.class);
                    assertThat(hub.parts().recoveryLog()).isInstanceOf(RedisRecoveryLog.class);
                    assertThat(hub.parts().recoverySessions())
                            .isInstanceOf(dev.realtime.redis.RedisRecoverySessionStore.class);
                    assertThat(hub.parts().presence()).isInstanceOf(dev.realtime.redis.RedisPresenceStore.class);
                    assertThat(hub.parts().clients()).isInstanceOf(dev.realtime.redis.RedisSessionRegistry.class);

                    hub.jobs().job("r-1", "u9").progress(50, "half way");
                    // the event and its owner went through the Redis history store
                    assertThat(backend.history().read("job:r-1", 0, 10).entries()).extracting(HistoryEntry::event)
                            .containsExactly("job:progress");
                    assertThat(backend.history().owner("job:r-1")).contains("u9");

                    RealtimeHealthIndicator health = ctx.getBean(RealtimeHealthIndicator.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> ((RedisBroker) backend.broker()).connected());
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
                    assertThat(ctx).hasSingleBean(HistoryStore.class).doesNotHaveBean(RedisHistoryStore.class);
                    RealtimeHub hub = ctx.getBean(RealtimeHub.class);
                    assertThat(hub.parts().history()).isSameAs(ctx.getBean(HistoryStore.class));
                    assertThat(hub.parts().broker()).isInstanceOf(RedisBroker.class);
                    assertThat(hub.parts().recoveryLog()).isInstanceOf(RecoveryLog.class);
                    hub.jobs().progress("o-1", 1, null);
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
