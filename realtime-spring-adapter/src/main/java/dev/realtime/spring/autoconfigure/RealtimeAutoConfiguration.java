package dev.realtime.spring.autoconfigure;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.jobs.JobPublisher;
import dev.realtime.core.security.Authenticator;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Limits;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.util.StringUtils;

/**
 * Auto-configures a {@link RealtimeHub} from {@link RealtimeProperties} ({@code realtime.*}), the
 * {@link JobPublisher} for application code, and a JWT {@link Authenticator} when {@code realtime.jwt.hmac-secret}
 * or {@code realtime.jwt.jwks-uri} is set. Every bean backs off when the application defines its own.
 *
 * <p>The hub is built from the properties, then any {@link Authenticator} bean is applied, then every
 * {@link RealtimeHubCustomizer} bean in order. With {@code realtime.redis.url} and {@code realtime-redis} on the
 * classpath, {@link RealtimeRedisConfiguration} supplies Redis history, broker and recovery log. The hub is
 * closed with the context (connections get 1001).
 *
 * <p>Registered in {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports};
 * never component-scanned.
 *
 * @since 0.1
 */
@AutoConfiguration
@ConditionalOnClass(RealtimeHub.class)
@EnableConfigurationProperties(RealtimeProperties.class)
@Import(RealtimeRedisConfiguration.class)
public class RealtimeAutoConfiguration {

    /** The hub; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public RealtimeHub realtimeHub(RealtimeProperties properties, ObjectProvider<Authenticator> authenticator,
                                   ObjectProvider<RealtimeHubCustomizer> customizers) {
        RealtimeHub.Builder builder = builderFrom(properties);
        authenticator.ifAvailable(builder::authenticator);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** Publishes job events (seed 002's {@code job:*} payloads) through the hub. */
    @Bean
    @ConditionalOnMissingBean
    public JobPublisher realtimeJobPublisher(RealtimeHub hub) {
        return hub.jobs();
    }

    /** HS256 or JWKS verification of client tokens, from {@code realtime.jwt.*}. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(JwtConfiguredCondition.class)
    public Authenticator realtimeJwtAuthenticator(RealtimeProperties properties) {
        RealtimeProperties.Jwt jwt = properties.getJwt();
        boolean secret = StringUtils.hasText(jwt.getHmacSecret());
        if (secret && jwt.getJwksUri() != null) {
            throw new IllegalStateException(
                    "set either realtime.jwt.hmac-secret or realtime.jwt.jwks-uri, not both");
        }
        JwtAuthenticator.Builder builder = JwtAuthenticator.builder();
        if (secret) {
            builder.hmacSecret(jwt.getHmacSecret());
        } else {
            builder.jwksUrl(jwt.getJwksUri());
        }
        if (StringUtils.hasText(jwt.getIssuer())) {
            builder.issuer(jwt.getIssuer());
        }
        if (StringUtils.hasText(jwt.getAudience())) {
            builder.audience(jwt.getAudience());
        }
        if (jwt.getClockSkew() != null) {
            builder.clockSkew(jwt.getClockSkew());
        }
        return builder.build();
    }

    /** A builder carrying every {@code realtime.*} setting. */
    static RealtimeHub.Builder builderFrom(RealtimeProperties p) {
        RealtimeHub.Builder b = RealtimeHub.builder()
                .heartbeat(p.getHeartbeat().getInterval(), p.getHeartbeat().getTimeout())
                .historySize(p.getHistory().getSize())
                .replayLimit(p.getHistory().getReplayLimit())
                .historyRetention(p.getHistory().getRetention())
                .sendQueueCapacity(p.getSendQueueCapacity())
                .sendQueueBytes(p.getSendQueueBytes())
                .slowConsumerTimeout(p.getSlowConsumerTimeout())
                .maxFrameBytes(Math.toIntExact(p.getMaxFrameSize().toBytes()));
        RealtimeProperties.Limits l = p.getLimits();
        b.limits(new Limits(l.getMessagesPerSecond(), l.getMessageBurst(), l.getConnectionsPerUser(),
                l.getConnectionsPerIp(), l.getHandshakesPerIpPerSecond(), l.getRoomsPerConnection(),
                l.getAbuseThreshold(), l.getAuthTimeout()));
        if (p.getAllowedOrigins() != null && !p.getAllowedOrigins().isEmpty()) {
            b.allowedOrigins(p.getAllowedOrigins());
        }
        b.socketIo(socketIoOptions(p.getSocketIo()));
        return b;
    }

    /** Engine.IO settings, or {@code null} (Socket.IO off) when {@code realtime.socket-io.enabled=false}. */
    static SocketIoOptions socketIoOptions(RealtimeProperties.SocketIo s) {
        if (!s.isEnabled()) {
            return null;
        }
        return SocketIoOptions.defaults()
                .withPing(s.getPingInterval(), s.getPingTimeout())
                .withMaxPayload(Math.toIntExact(s.getMaxPayload().toBytes()))
                .withConnectTimeout(s.getConnectTimeout())
                .withRecovery(s.getRecovery().isEnabled(), s.getRecovery().getMaxDisconnectionDuration());
    }

    /** Either key source of {@code realtime.jwt} is set. */
    static final class JwtConfiguredCondition extends AnyNestedCondition {

        JwtConfiguredCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty("realtime.jwt.hmac-secret")
        static final class HmacSecret {
        }

        @ConditionalOnProperty("realtime.jwt.jwks-uri")
        static final class JwksUri {
        }
    }
}
