package dev.realtime.spring.autoconfigure;

import dev.realtime.core.contest.ContestStore;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.redis.RedisContestStore;
import dev.realtime.redis.RedisLeaderboardStore;
import dev.realtime.redis.RedisOptions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contest and leaderboard stores in Redis when the hub runs on Redis ({@code realtime.redis.url}), imported by
 * {@link RealtimeContestAutoConfiguration}; the context closes them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RedisLeaderboardStore.class)
@ConditionalOnBean(RedisOptions.class)
class RealtimeContestRedisConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ContestStore realtimeContestStore(RedisOptions options) {
        return new RedisContestStore(options);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    LeaderboardStore realtimeLeaderboardStore(RedisOptions options) {
        return new RedisLeaderboardStore(options);
    }
}
