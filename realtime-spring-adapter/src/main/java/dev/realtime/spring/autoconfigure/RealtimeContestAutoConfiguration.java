package dev.realtime.spring.autoconfigure;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.contest.ContestGateway;
import dev.realtime.core.contest.ContestService;
import dev.realtime.core.contest.ContestStore;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.core.quiz.QuestionGenerator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The contest gateway on the hub when {@code realtime.contest.enabled=true}: a {@link ContestGateway} bean
 * (closed with the context) and its {@link ContestService} for your controllers. Stores are in memory, or in
 * Redis when the hub is ({@link RealtimeContestRedisConfiguration}); a bean of yours of either store type, or a
 * {@link QuestionGenerator}, is used instead.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnClass(ContestGateway.class)
@ConditionalOnBean(RealtimeHub.class)
@ConditionalOnProperty(prefix = "realtime.contest", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(RealtimeContestProperties.class)
@Import(RealtimeContestRedisConfiguration.class)
public class RealtimeContestAutoConfiguration {

    /** Contests in memory unless Redis or your bean supplies them. */
    @Bean
    @ConditionalOnMissingBean
    public ContestStore realtimeContestStore() {
        return ContestStore.inMemory();
    }

    /** Scores in memory unless Redis or your bean supplies them. */
    @Bean
    @ConditionalOnMissingBean
    public LeaderboardStore realtimeLeaderboardStore() {
        return LeaderboardStore.inMemory();
    }

    /** The gateway: registers the contest events on the hub. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ContestGateway realtimeContestGateway(RealtimeHub hub, ContestStore contests, LeaderboardStore board,
                                                 ObjectProvider<QuestionGenerator> generator,
                                                 RealtimeContestProperties properties) {
        ContestGateway.Builder b = ContestGateway.builder(hub).contestStore(contests).leaderboardStore(board)
                .updatesPerSecond(properties.getUpdatesPerSecond()).leaderboardSize(properties.getLeaderboardSize());
        generator.ifAvailable(b::questionGenerator);
        return b.build();
    }

    /** The contest rules for REST controllers. */
    @Bean
    @ConditionalOnMissingBean
    public ContestService realtimeContestService(ContestGateway gateway) {
        return gateway.service();
    }
}
