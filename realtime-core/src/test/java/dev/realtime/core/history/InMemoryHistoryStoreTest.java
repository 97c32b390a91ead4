package dev.realtime.core.history;

import dev.realtime.core.testing.FakeClock;
import java.time.Duration;

class InMemoryHistoryStoreTest extends HistoryStoreContract {
    @Override
    protected HistoryStore newStore(int maxEntries, Duration retention, FakeClock clock) {
        return new InMemoryHistoryStore(maxEntries, retention, clock);
    }
}
