package dev.realtime.core.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PresenceStore} must have. Subclass it and create the store under test on the given
 * clock; {@link #otherNode} returns a second store sharing the same backend (another node of the cluster).
 */
public abstract class PresenceStoreContract {
    protected static final Duration TTL = Duration.ofSeconds(90);

    protected final FakeClock clock = new FakeClock();
    private final List<PresenceStore> opened = new ArrayList<>();

    /** A store whose connection entries live {@code ttl}, timed by {@code clock}. */
    protected abstract PresenceStore newStore(Duration ttl, FakeClock clock);

    /**
     * A second store over the same backend as {@code first}, as another node would have. The default returns
     * {@code first} itself (a single-node store has no other view).
     */
    protected PresenceStore otherNode(PresenceStore first, Duration ttl, FakeClock clock) {
        return first;
    }

    /** A room name unique to this test. */
    protected String room(String name) {
        return "session:" + name + "-" + System.nanoTime();
    }

    private PresenceStore store() {
        PresenceStore s = newStore(TTL, clock);
        opened.add(s);
        return s;
    }

    private PresenceStore other(PresenceStore first) {
        PresenceStore s = otherNode(first, TTL, clock);
        if (s != first) {
            opened.add(s);
        }
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(PresenceStore::close);
    }

    @Test
    void firstConnectionOfAUserIsReportedOnceAcrossTabs() {
        PresenceStore store = store();
        String r = room("tabs");
        assertTrue(store.join(r, "alice", "c1"), "first tab");
        assertFalse(store.join(r, "alice", "c2"), "second tab of the same user");
        assertFalse(store.join(r, "alice", "c1"), "re-join of the same connection");
        assertTrue(store.join(r, "bob", "c3"));
        assertEquals(Set.of("alice", "bob"), store.members(r));
    }

    @Test
    void lastConnectionLeavingIsReportedOnce() {
        PresenceStore store = store();
        String r = room("leave");
        store.join(r, "alice", "c1");
        store.join(r, "alice", "c2");
        assertFalse(store.leave(r, "alice", "c1"), "alice still has c2");
        assertEquals(Set.of("alice"), store.members(r));
        assertTrue(store.leave(r, "alice", "c2"), "last tab gone");
        assertEquals(Set.of(), store.members(r));
        assertFalse(store.leave(r, "alice", "c2"), "leaving twice reports nothing");
    }

    @Test
    void unknownRoomAndConnectionAreHarmless() {
        PresenceStore store = store();
        String r = room("unknown");
        assertEquals(Set.of(), store.members(r));
        assertFalse(store.leave(r, "nobody", "c0"));
        store.refresh("c-never-joined");
        store.join(r, "alice", "c1");
        assertFalse(store.leave(r, "alice", "c-other"), "another connection of alice was never in the room");
        assertEquals(Set.of("alice"), store.members(r));
    }

    @Test
    void roomsAreIndependent() {
        PresenceStore store = store();
        String r1 = room("one");
        String r2 = room("two");
        assertTrue(store.join(r1, "alice", "c1"));
        assertTrue(store.join(r2, "alice", "c1"), "first in the other room too");
        assertTrue(store.leave(r1, "alice", "c1"));
        assertEquals(Set.of(), store.members(r1));
        assertEquals(Set.of("alice"), store.members(r2));
    }

    @Test
    void connectionsThatAreNotRefreshedExpire() {
        PresenceStore store = store();
        String r = room("expiry");
        store.join(r, "alice", "c1"); // the crashed node's connection: never refreshed
        store.join(r, "bob", "c2");
        clock.advance(TTL.dividedBy(2));
        store.refresh("c2");
        clock.advance(TTL.dividedBy(2).plusSeconds(1));
        assertEquals(Set.of("bob"), store.members(r), "alice's entry expired, bob's was refreshed");
        assertTrue(store.join(r, "alice", "c3"), "after expiry alice joining again is a first join");
        clock.advance(TTL.plusSeconds(1));
        assertEquals(Set.of(), store.members(r));
    }

    @Test
    void expiredTabDoesNotKeepTheUserPresent() {
        PresenceStore store = store();
        String r = room("stale-tab");
        store.join(r, "alice", "c1");
        clock.advance(TTL.dividedBy(2));
        store.join(r, "alice", "c2");
        clock.advance(TTL.dividedBy(2).plusSeconds(1)); // c1 expired, c2 alive
        assertEquals(Set.of("alice"), store.members(r));
        assertTrue(store.leave(r, "alice", "c2"), "c1 had expired, so c2 was alice's last connection");
        assertEquals(Set.of(), store.members(r));
    }

    @Test
    void nodesSharingTheBackendAgree() {
        PresenceStore a = store();
        PresenceStore b = other(a);
        String r = room("nodes");
        assertTrue(a.join(r, "alice", "a-1"));
        assertFalse(b.join(r, "alice", "b-1"), "same user on another node is not a first join");
        assertTrue(b.join(r, "bob", "b-2"));
        assertEquals(Set.of("alice", "bob"), a.members(r));
        assertEquals(Set.of("alice", "bob"), b.members(r));
        assertFalse(a.leave(r, "alice", "a-1"));
        assertTrue(b.leave(r, "alice", "b-1"));
        assertEquals(Set.of("bob"), a.members(r));
    }

    @Test
    void concurrentJoinsOfOneUserReportExactlyOneFirst() throws Exception {
        PresenceStore a = store();
        PresenceStore b = other(a);
        String r = room("race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                PresenceStore s = i % 2 == 0 ? a : b;
                String conn = "c" + i;
                results.add(pool.submit(() -> s.join(r, "alice", conn)));
            }
            int firsts = 0;
            for (Future<Boolean> f : results) {
                firsts += f.get() ? 1 : 0;
            }
            assertEquals(1, firsts);
            List<Future<Boolean>> leaves = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                PresenceStore s = i % 2 == 0 ? b : a;
                String conn = "c" + i;
                leaves.add(pool.submit(() -> s.leave(r, "alice", conn)));
            }
            int lasts = 0;
            for (Future<Boolean> f : leaves) {
                lasts += f.get() ? 1 : 0;
            }
            assertEquals(1, lasts);
            assertEquals(Set.of(), a.members(r));
        } finally {
            pool.shutdownNow();
        }
    }
}
