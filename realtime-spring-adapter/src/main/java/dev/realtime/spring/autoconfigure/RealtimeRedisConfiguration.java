package dev.realtime.spring.autoconfigure;

import dev.realtime.core.ClientRegistry;
import dev.realtime.core.ClusterBackend;
import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.core.history.RecoverySessionStore;
import dev.realtime.core.presence.PresenceStore;
import dev.realtime.redis.RedisBackend;
import dev.realtime.redis.RedisOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis as the cluster engine, imported by {@link RealtimeAutoConfiguration}: on when {@code realtime-redis}
 * (and Jedis) is on the classpath and {@code realtime.redis.url} is set. Supplies one {@link RedisBackend} (one
 * pool for history with owners and idempotency keys, broker, recovery log and sessions, presence and the client
 * registry) and a customizer that hands it to the hub. An application bean of one of the SPI types (a
 * {@link HistoryStore}, {@link Broker}, {@link RecoveryLog}, {@link RecoverySessionStore}, {@link PresenceStore}
 * or {@link ClientRegistry}) replaces that part.
 *
 * <p>The hub closes the backend when it closes; the context closes it again afterwards, which is harmless
 * ({@code close()} is idempotent).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({UnifiedJedis.class, RedisBackend.class})
@ConditionalOnProperty("realtime.redis.url")
class RealtimeRedisConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RedisOptions realtimeRedisOptions(RealtimeProperties properties) {
        return RedisOptions.builder()
                .url(properties.getRedis().getUrl())
                .keyPrefix(properties.getRedis().getKeyPrefix())
                .historySize(properties.getHistory().getSize())
                .historyRetention(properties.getHistory().getRetention())
                .recoveryLogRetention(properties.getSocketIo().getRecovery().getMaxDisconnectionDuration())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean(ClusterBackend.class)
    RedisBackend realtimeRedisBackend(RedisOptions options) {
        return RedisBackend.create(options);
    }

    /** Hands the backend to the hub builder, and any application bean of a part type in its place. */
    @Bean
    @ConditionalOnMissingBean(name = "realtimeRedisHubCustomizer")
    RealtimeHubCustomizer realtimeRedisHubCustomizer(ObjectProvider<ClusterBackend> backend,
                                                     ObjectProvider<HistoryStore> history,
                                                     ObjectProvider<Broker> broker,
                                                     ObjectProvider<RecoveryLog> recoveryLog,
                                                     ObjectProvider<RecoverySessionStore> sessions,
                                                     ObjectProvider<PresenceStore> presence,
                                                     ObjectProvider<ClientRegistry> clients) {
        return builder -> {
            backend.ifUnique(builder::backend);
            history.ifUnique(builder::historyStore);
            broker.ifUnique(builder::broker);
            recoveryLog.ifUnique(builder::recoveryLog);
            sessions.ifUnique(builder::recoverySessions);
            presence.ifUnique(builder::presenceStore);
            clients.ifUnique(builder::clientRegistry);
        };
    }
}
