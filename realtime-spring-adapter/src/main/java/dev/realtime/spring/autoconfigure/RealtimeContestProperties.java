package dev.realtime.spring.autoconfigure;

import dev.realtime.core.contest.ContestGateway;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code realtime.contest.*}: the contest gateway ({@code contest:join}, {@code contest:submit_answer},
 * {@code contest:get_leaderboard}), off unless {@code realtime.contest.enabled=true}.
 *
 * @since 0.1
 */
@ConfigurationProperties("realtime.contest")
public class RealtimeContestProperties {
    /** Whether to register the contest events on the hub. */
    private boolean enabled;
    /** Upper bound of leaderboard updates per second per contest and node. */
    private int updatesPerSecond = ContestGateway.DEFAULT_UPDATES_PER_SECOND;
    /** Standings per leaderboard payload. */
    private int leaderboardSize = ContestGateway.DEFAULT_LEADERBOARD_SIZE;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getUpdatesPerSecond() {
        return updatesPerSecond;
    }

    public void setUpdatesPerSecond(int updatesPerSecond) {
        this.updatesPerSecond = updatesPerSecond;
    }

    public int getLeaderboardSize() {
        return leaderboardSize;
    }

    public void setLeaderboardSize(int leaderboardSize) {
        this.leaderboardSize = leaderboardSize;
    }
}
