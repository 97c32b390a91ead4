package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestGateway;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.ContestService;
import dev.realtime.core.contest.ContestStore;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.redis.RedisContestStore;
import dev.realtime.redis.RedisLeaderboardStore;
import dev.realtime.redis.RedisTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The contest gateway bean: off by default, on by property, memory or Redis stores. */
class RealtimeContestAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
                    RealtimeContestAutoConfiguration.class));

    private static Contest contest() {
        Instant now = Instant.now();
        return new Contest("spring", "Spring", now.minusSeconds(1), now.plus(Duration.ofHours(1)),
                List.of(new ContestQuestion("q1", "1+1?", List.of("1", "2"), 1, 1000, "easy", "")), true);
    }

    @Test
    void offUnlessEnabled() {
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(ContestGateway.class));
    }

    @Test
    void enabledGivesAGatewayOnMemoryStores() {
        runner.withPropertyValues("realtime.contest.enabled=true", "realtime.contest.leaderboard-size=3")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(ContestGateway.class).hasSingleBean(ContestService.class);
                    assertThat(ctx.getBean(ContestStore.class)).isNotInstanceOf(RedisContestStore.class);
                    ContestService service = ctx.getBean(ContestService.class);
                    service.create(contest());
                    service.register("spring", "ann");
                    assertThat(service.submit("spring", "ann", "q1", 1).correct()).isTrue();
                    assertThat(service.top("spring", 3)).hasSize(1);
                });
    }

    @Test
    void redisStoresWhenTheHubRunsOnRedis() {
        try (RedisTestServer redis = RedisTestServer.start(false)) {
            runner.withPropertyValues("realtime.contest.enabled=true", "realtime.redis.url=" + redis.url(),
                    "realtime.redis.key-prefix=contest-" + System.nanoTime() + ":").run(ctx -> {
                        assertThat(ctx.getBean(ContestStore.class)).isInstanceOf(RedisContestStore.class);
                        assertThat(ctx.getBean(LeaderboardStore.class)).isInstanceOf(RedisLeaderboardStore.class);
                        ContestService service = ctx.getBean(ContestService.class);
                        service.create(contest());
                        service.register("spring", "bo");
                        assertThat(service.submit("spring", "bo", "q1", "2").rank()).isEqualTo(1);
                    });
        }
    }
}
