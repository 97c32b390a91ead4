package dev.realtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {
    private final RoomRegistry registry = new RoomRegistry();

    private static Subscription sub(String room) {
        return new Subscription(null, room, null, false);
    }

    @Test
    void membersAreASnapshotRebuiltAfterEveryJoinAndLeave() {
        Subscription a = sub("r");
        Subscription b = sub("r");
        assertEquals(0, registry.members("r").length);

        registry.add(a);
        Subscription[] first = registry.members("r");
        assertArrayEquals(new Subscription[] {a}, first);
        assertSame(first, registry.members("r"), "no change: the same snapshot");

        registry.add(b);
        assertEquals(Set.of(a, b), Set.of(registry.members("r")));
        assertArrayEquals(new Subscription[] {a}, first, "a snapshot handed out never changes");

        registry.remove(a);
        assertArrayEquals(new Subscription[] {b}, registry.members("r"));
        assertEquals(1, registry.memberCount("r"));

        registry.remove(b);
        assertEquals(0, registry.members("r").length);
        assertEquals(0, registry.size(), "an empty room is removed");
    }

    @Test
    void aSecondJoinOfTheSameSubscriptionOrALeaveOfAStrangerChangesNothing() {
        Subscription a = sub("r");
        registry.add(a);
        Subscription[] snapshot = registry.members("r");
        registry.add(a);
        registry.remove(sub("r"));
        assertSame(snapshot, registry.members("r"));
        assertArrayEquals(new Subscription[] {a}, snapshot);
    }

    @Test
    void aMemberThatLeftIsNotKeptAliveByTheLastSnapshot() {
        Subscription stays = sub("r");
        registry.add(stays);
        WeakReference<Subscription> left = joinReadAndLeave();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return left.get() == null;
        });
        assertArrayEquals(new Subscription[] {stays}, registry.members("r"));
    }

    /** A member joins, a fan-out reads the room (a snapshot holding it), and it leaves; no strong reference remains. */
    private WeakReference<Subscription> joinReadAndLeave() {
        Subscription s = sub("r");
        registry.add(s);
        assertEquals(2, registry.members("r").length);
        registry.remove(s);
        return new WeakReference<>(s);
    }

    @Test
    void joinsRacingWithReadsAreAllInTheFirstReadAfterThem() throws InterruptedException {
        int joins = 20_000;
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < joins; i++) {
            subs.add(sub("r"));
        }
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch readersStarted = new CountDownLatch(2);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread reader = new Thread(() -> {
                readersStarted.countDown();
                while (!done.get()) {
                    registry.members("r"); // rebuilds snapshots while the joins go on
                }
            });
            reader.start();
            readers.add(reader);
        }
        readersStarted.await();
        subs.forEach(registry::add);
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        // a reader that copied the members before the last joins must not leave its older snapshot behind
        Subscription[] members = registry.members("r");
        assertEquals(joins, members.length);
        assertEquals(new HashSet<>(subs), new HashSet<>(List.of(members)));
        assertEquals(joins, registry.all().size());
    }
}
