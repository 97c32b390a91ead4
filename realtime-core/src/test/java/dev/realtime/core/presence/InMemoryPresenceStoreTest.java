package dev.realtime.core.presence;

import dev.realtime.core.testing.FakeClock;
import java.time.Duration;

class InMemoryPresenceStoreTest extends PresenceStoreContract {
    @Override
    protected PresenceStore newStore(Duration ttl, FakeClock clock) {
        return PresenceStore.inMemory(ttl, clock);
    }
}
