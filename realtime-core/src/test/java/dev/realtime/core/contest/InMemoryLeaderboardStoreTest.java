package dev.realtime.core.contest;

/** The contract against the memory store. */
class InMemoryLeaderboardStoreTest extends LeaderboardStoreContract {
    @Override
    protected LeaderboardStore newStore() {
        return LeaderboardStore.inMemory();
    }
}
