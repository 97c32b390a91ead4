package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.jobs.JobPublisher;
import dev.realtime.core.security.AuthenticationException;
import dev.realtime.core.security.Authenticator;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Principal;
import dev.realtime.redis.RedisBroker;
import dev.realtime.redis.RedisHistoryStore;
import dev.realtime.spring.RealtimeWebSocketHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import redis.clients.jedis.UnifiedJedis;

/** Every condition of the auto-configuration, in plain and web application contexts (no server). */
class RealtimeAutoConfigurationTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-spring";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
                    RealtimeWebSocketAutoConfiguration.class, RealtimeMetricsAutoConfiguration.class,
                    RealtimeHealthAutoConfiguration.class));

    @Test
    void defaultsGiveAHubAndItsJobPublisher() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(RealtimeHub.class).hasSingleBean(JobPublisher.class)
                    .hasSingleBean(RealtimeProperties.class)
                    .doesNotHaveBean(Authenticator.class)
                    .doesNotHaveBean(HistoryStore.class).doesNotHaveBean(Broker.class)
                    .doesNotHaveBean(RecoveryLog.class);
            assertThat(ctx.getBean(JobPublisher.class)).isSameAs(ctx.getBean(RealtimeHub.class).jobs());
            // not a web application: no WebSocket endpoints; no MeterRegistry: no metrics
            assertThat(ctx).doesNotHaveBean(RealtimeWebSocketHandler.class)
                    .doesNotHaveBean(WebSocketConfigurer.class)
                    .doesNotHaveBean(RealtimeMetrics.class);
            // Actuator on the classpath: the health indicator is there
            assertThat(ctx).hasSingleBean(RealtimeHealthIndicator.class);
            assertThat(ctx.getBean(RealtimeHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void hubIsClosedWithTheContext() {
        RealtimeHub[] hub = new RealtimeHub[1];
        runner.run(ctx -> hub[0] = ctx.getBean(RealtimeHub.class));
        assertThat(hub[0].isRunning()).isFalse();
    }

    @Test
    void userHubAndPublisherWin() {
        runner.withUserConfiguration(UserHub.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(RealtimeHub.class).hasSingleBean(JobPublisher.class);
            assertThat(ctx.getBean(RealtimeHub.class)).isSameAs(ctx.getBean("myHub"));
            assertThat(ctx.getBean(JobPublisher.class)).isSameAs(ctx.getBean("myHub", RealtimeHub.class).jobs());
        });
        runner.withUserConfiguration(UserPublisher.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(JobPublisher.class);
            assertThat(ctx.getBean(JobPublisher.class)).isSameAs(ctx.getBean("myPublisher"));
        });
    }

    @Test
    void customizersRunInOrderAfterTheProperties() {
        runner.withUserConfiguration(Customizers.class).withPropertyValues("realtime.history.size=7").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(Customizers.class).calls).hasValue(2);
            assertThat(ctx.getBean(Customizers.class).order).containsExactly("first", "second");
            // the "second" customizer replaced the allowed origins from the properties: 403 for others
            RealtimeHub hub = ctx.getBean(RealtimeHub.class);
            assertThat(hub.checkHandshake(dev.realtime.core.Protocol.NATIVE, handshakeFrom("https://evil.example")))
                    .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
            assertThat(hub.checkHandshake(dev.realtime.core.Protocol.NATIVE, handshakeFrom("https://ok.example")))
                    .isEmpty();
        });
    }

    @Test
    void jwtIsOnlyConfiguredByProperty() {
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(Authenticator.class));
        runner.withPropertyValues("realtime.jwt.hmac-secret=" + SECRET, "realtime.jwt.issuer=https://issuer",
                "realtime.jwt.clock-skew=5s").run(ctx -> {
                    assertThat(ctx).hasSingleBean(Authenticator.class);
                    assertThat(ctx.getBean(Authenticator.class)).isInstanceOf(JwtAuthenticator.class);
                    assertThat(ctx.getBean(RealtimeHub.class).isRunning()).isTrue();
                    Authenticator auth = ctx.getBean(Authenticator.class);
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> auth.authenticate("not.a.jwt"))
                            .isInstanceOf(AuthenticationException.class);
                });
        runner.withPropertyValues("realtime.jwt.jwks-uri=https://login.example/.well-known/jwks.json")
                .run(ctx -> assertThat(ctx).hasSingleBean(JwtAuthenticator.class));
        runner.withPropertyValues("realtime.jwt.hmac-secret=" + SECRET,
                "realtime.jwt.jwks-uri=https://login.example/jwks.json")
                .run(ctx -> assertThat(ctx).hasFailed());
        runner.withPropertyValues("realtime.jwt.hmac-secret=too-short").run(ctx -> assertThat(ctx).hasFailed());
    }

    @Test
    void userAuthenticatorIsUsedAndJwtBacksOff() {
        runner.withUserConfiguration(UserAuthenticator.class).withPropertyValues("realtime.jwt.hmac-secret=" + SECRET)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(Authenticator.class);
                    assertThat(ctx.getBean(Authenticator.class)).isSameAs(ctx.getBean("myAuthenticator"));
                });
    }

    @Test
    void redisNeedsAUrl() {
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(RedisBroker.class)
                .doesNotHaveBean(RedisHistoryStore.class).doesNotHaveBean("realtimeRedisHubCustomizer"));
    }

    @Test
    void redisNeedsTheRedisModuleAndJedis() {
        String url = "realtime.redis.url=redis://127.0.0.1:1";
        runner.withClassLoader(new FilteredClassLoader(UnifiedJedis.class)).withPropertyValues(url)
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(HistoryStore.class)
                        .doesNotHaveBean(Broker.class));
        runner.withClassLoader(new FilteredClassLoader("dev.realtime.redis.")).withPropertyValues(url)
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(HistoryStore.class)
                        .doesNotHaveBean(Broker.class));
    }

    @Test
    void propertiesAreBound() {
        runner.withPropertyValues(
                "realtime.heartbeat.interval=15s", "realtime.heartbeat.timeout=3s",
                "realtime.history.size=42", "realtime.history.retention=2h", "realtime.history.replay-limit=420",
                "realtime.send-queue-capacity=64", "realtime.slow-consumer-timeout=2s",
                "realtime.max-frame-size=256KB",
                "realtime.allowed-origins=https://a.example,https://b.example",
                "realtime.native.path=/live", "realtime.native.enabled=false",
                "realtime.socket-io.path=/sio/", "realtime.socket-io.ping-interval=10s",
                "realtime.socket-io.ping-timeout=5s", "realtime.socket-io.max-payload=64KB",
                "realtime.socket-io.recovery.enabled=false",
                "realtime.socket-io.recovery.max-disconnection-duration=30s",
                "realtime.jwt.audience=app", "realtime.jwt.clock-skew=1m",
                "realtime.limits.messages-per-second=5", "realtime.limits.message-burst=9",
                "realtime.limits.connections-per-user=2", "realtime.limits.connections-per-ip=3",
                "realtime.limits.handshakes-per-ip-per-second=4", "realtime.limits.rooms-per-connection=6",
                "realtime.redis.key-prefix=app:").run(ctx -> {
                    RealtimeProperties p = ctx.getBean(RealtimeProperties.class);
                    assertThat(p.getHeartbeat().getInterval()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(p.getHeartbeat().getTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.getHistory().getSize()).isEqualTo(42);
                    assertThat(p.getHistory().getRetention()).isEqualTo(Duration.ofHours(2));
                    assertThat(p.getSendQueueCapacity()).isEqualTo(64);
                    assertThat(p.getSlowConsumerTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(p.getMaxFrameSize()).isEqualTo(DataSize.ofKilobytes(256));
                    assertThat(p.getAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
                    assertThat(p.getNative().getPath()).isEqualTo("/live");
                    assertThat(p.getNative().isEnabled()).isFalse();
                    assertThat(p.getSocketIo().getPath()).isEqualTo("/sio/");
                    assertThat(p.getSocketIo().getPingInterval()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(p.getSocketIo().getPingTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.getSocketIo().getMaxPayload()).isEqualTo(DataSize.ofKilobytes(64));
                    assertThat(p.getSocketIo().getRecovery().isEnabled()).isFalse();
                    assertThat(p.getSocketIo().getRecovery().getMaxDisconnectionDuration())
                            .isEqualTo(Duration.ofSeconds(30));
                    assertThat(p.getJwt().getAudience()).isEqualTo("app");
                    assertThat(p.getJwt().getClockSkew()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(p.getLimits().getMessagesPerSecond()).isEqualTo(5);
                    assertThat(p.getLimits().getMessageBurst()).isEqualTo(9);
                    assertThat(p.getLimits().getConnectionsPerUser()).isEqualTo(2);
                    assertThat(p.getLimits().getConnectionsPerIp()).isEqualTo(3);
                    assertThat(p.getLimits().getHandshakesPerIpPerSecond()).isEqualTo(4);
                    assertThat(p.getLimits().getRoomsPerConnection()).isEqualTo(6);
                    assertThat(p.getRedis().getKeyPrefix()).isEqualTo("app:");

                    // and they reach the hub
                    RealtimeHub hub = ctx.getBean(RealtimeHub.class);
                    assertThat(hub.settings().heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(hub.settings().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(hub.settings().sendQueueCapacity()).isEqualTo(64);
                    assertThat(hub.settings().maxFrameBytes()).isEqualTo(256 * 1024);
                    assertThat(hub.settings().maxReplay()).isEqualTo(420);
                    assertThat(hub.socketIoOptions().orElseThrow().pingInterval()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(hub.socketIoOptions().orElseThrow().maxPayload()).isEqualTo(64 * 1024);
                    assertThat(hub.socketIoOptions().orElseThrow().recovery()).isFalse();
                    assertThat(hub.checkHandshake(dev.realtime.core.Protocol.NATIVE,
                            handshakeFrom("https://c.example"))).isPresent();
                });
    }

    @Test
    void socketIoCanBeTurnedOff() {
        runner.withPropertyValues("realtime.socket-io.enabled=false").run(ctx -> {
            RealtimeHub hub = ctx.getBean(RealtimeHub.class);
            assertThat(hub.socketIoOptions()).isEmpty();
        });
    }

    @Test
    void webApplicationGetsBothEndpoints() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
                        RealtimeWebSocketAutoConfiguration.class))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasBean("realtimeNativeWebSocketHandler")
                            .hasBean("realtimeSocketIoWebSocketHandler").hasBean("realtimeWebSocketConfigurer")
                            .hasSingleBean(RealtimeWebSocketAutoConfiguration.RealtimeServerContainerBuffers.class);
                    assertThat(ctx.getBean("realtimeSocketIoWebSocketHandler", RealtimeWebSocketHandler.class)
                            .protocol()).isEqualTo(dev.realtime.core.Protocol.SOCKET_IO);
                });
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
                        RealtimeWebSocketAutoConfiguration.class))
                .withPropertyValues("realtime.native.enabled=false", "realtime.socket-io.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RealtimeWebSocketHandler.class));
    }

    @Test
    void endpointPathsMatchWithAndWithoutTrailingSlash() {
        assertThat(RealtimeWebSocketAutoConfiguration.paths("/socket.io/")).containsExactly("/socket.io/", "/socket.io");
        assertThat(RealtimeWebSocketAutoConfiguration.paths("/ws")).containsExactly("/ws", "/ws/");
        assertThat(RealtimeWebSocketAutoConfiguration.paths("/")).containsExactly("/");
    }

    @Test
    void metricsNeedMicrometerAndARegistry() {
        ApplicationContextRunner withRegistry = runner.withConfiguration(AutoConfigurations.of(
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class));
        withRegistry.run(ctx -> {
            assertThat(ctx).hasSingleBean(RealtimeMetrics.class);
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertThat(registry.get("realtime.connections").gauge().value()).isZero();
            ctx.getBean(JobPublisher.class).progress("m-1", 10, null);
            assertThat(registry.get("realtime.published").functionCounter().count()).isEqualTo(1.0);
            for (String name : List.of("realtime.rooms", "realtime.messages.in", "realtime.messages.out",
                    "realtime.conflated", "realtime.slow.consumer.closes", "realtime.heartbeat.closes",
                    "realtime.protocol.errors", "realtime.auth.failures", "realtime.rate.limited")) {
                assertThat(registry.find(name).meter()).as(name).isNotNull();
            }
        });
        withRegistry.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(RealtimeMetrics.class));
    }

    @Test
    void healthNeedsActuator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(RealtimeHealthIndicator.class));
        runner.withPropertyValues("management.health.realtime.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(RealtimeHealthIndicator.class));
    }

    private static dev.realtime.core.Handshake handshakeFrom(String origin) {
        return new dev.realtime.core.Handshake("/ws", java.util.Map.of("Origin", List.of(origin)),
                java.util.Map.of(), "10.0.0.1");
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHub {
        @Bean(destroyMethod = "close")
        RealtimeHub myHub() {
            return RealtimeHub.builder().build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserPublisher {
        @Bean
        JobPublisher myPublisher() {
            return RealtimeHub.builder().build().jobs();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserAuthenticator {
        @Bean
        Authenticator myAuthenticator() {
            return token -> new Principal("u1", java.util.Set.of(), null, java.util.Map.of());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        RealtimeHubCustomizer second() {
            return b -> {
                calls.incrementAndGet();
                order.add("second");
                b.allowedOrigins(List.of("https://ok.example"));
            };
        }

        @Bean
        @Order(1)
        RealtimeHubCustomizer first() {
            return b -> {
                calls.incrementAndGet();
                order.add("first");
            };
        }
    }
}
