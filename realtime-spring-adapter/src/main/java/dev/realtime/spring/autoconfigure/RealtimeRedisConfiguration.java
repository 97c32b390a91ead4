package dev.realtime.spring.autoconfigure;

import dev.realtime.core.broker.Broker;
import dev.realtime.core.history.HistoryStore;
import dev.realtime.core.history.RecoveryLog;
import dev.realtime.redis.RedisBroker;
import dev.realtime.redis.RedisHistoryStore;
import dev.realtime.redis.RedisOptions;
import dev.realtime.redis.RedisRecoveryLog;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis as the cluster engine, imported by {@link RealtimeAutoConfiguration}: on when {@code realtime-redis}
 * (and Jedis) is on the classpath and {@code realtime.redis.url} is set. Supplies a {@link RedisHistoryStore}, a
 * {@link RedisBroker} and a {@link RedisRecoveryLog} (each backs off for an application bean of the SPI type) and a
 * customizer that hands them to the hub. Each component opens its own small pool from the URL.
 *
 * <p>The hub closes its store, broker and log when it closes; the context closes them again afterwards, which is
 * harmless (their {@code close()} is idempotent).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({UnifiedJedis.class, RedisHistoryStore.class})
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
    @ConditionalOnMissingBean(HistoryStore.class)
    RedisHistoryStore realtimeRedisHistoryStore(RedisOptions options) {
        return new RedisHistoryStore(options);
    }

    @Bean
    @ConditionalOnMissingBean(Broker.class)
    RedisBroker realtimeRedisBroker(RedisOptions options) {
        return new RedisBroker(options);
    }

    @Bean
    @ConditionalOnMissingBean(RecoveryLog.class)
    RedisRecoveryLog realtimeRedisRecoveryLog(RedisOptions options) {
        return new RedisRecoveryLog(options);
    }

    /** Hands the store, broker and recovery log beans (Redis or the application's) to the hub builder. */
    @Bean
    @ConditionalOnMissingBean(name = "realtimeRedisHubCustomizer")
    RealtimeHubCustomizer realtimeRedisHubCustomizer(ObjectProvider<HistoryStore> history,
                                                     ObjectProvider<Broker> broker,
                                                     ObjectProvider<RecoveryLog> recoveryLog) {
        return builder -> {
            history.ifUnique(builder::historyStore);
            broker.ifUnique(builder::broker);
            recoveryLog.ifUnique(builder::recoveryLog);
        };
    }
}
