package dev.realtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.testing.FakeClock;
import dev.realtime.core.testing.FakeScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hub's timer wheel on virtual time: never early, at most a tick late, cancels leave at once, stalls catch up. */
class TimerWheelTest {
    private final FakeScheduler scheduler = new FakeScheduler(new FakeClock());
    private final TimerWheel wheel = new TimerWheel(scheduler, () -> scheduler.elapsed().toNanos(), 10, 64);

    /** Records the virtual time of each expiry. */
    private final class Recording extends TimerWheel.Timer {
        final List<Long> firedAtMillis = new ArrayList<>();

        @Override
        protected void expired() {
            firedAtMillis.add(scheduler.elapsed().toMillis());
        }
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void firesOnTheFirstTickAtOrAfterTheDeadlineIncludingDeadlinesBeyondOneTurn() {
        wheel.start();
        Recording exact = new Recording();
        Recording between = new Recording();
        Recording longOne = new Recording(); // 64 buckets × 10 ms = 640 ms per turn
        wheel.schedule(exact, ms(300));
        wheel.schedule(between, ms(305));
        wheel.schedule(longOne, ms(2_000));
        scheduler.advance(Duration.ofMillis(299));
        assertTrue(exact.firedAtMillis.isEmpty() && between.firedAtMillis.isEmpty(), "never early");
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(List.of(300L), exact.firedAtMillis);
        assertTrue(between.firedAtMillis.isEmpty(), "305 ms is not due at 300");
        scheduler.advance(Duration.ofMillis(10));
        assertEquals(List.of(310L), between.firedAtMillis, "at most one tick late");
        scheduler.advance(Duration.ofMillis(1_689));
        assertTrue(longOne.firedAtMillis.isEmpty(), "a deadline three turns away waits its turns");
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(List.of(2_000L), longOne.firedAtMillis);
        assertEquals(1, exact.firedAtMillis.size(), "each arming fires once");
    }

    @Test
    void movingACancelledOrRescheduledTimerTakesEffectAtTheNextTick() {
        wheel.start();
        Recording cancelled = new Recording();
        Recording moved = new Recording();
        wheel.schedule(cancelled, ms(500));
        wheel.schedule(moved, ms(500));
        scheduler.advance(Duration.ofMillis(10));
        assertEquals(2, wheel.armed());
        wheel.cancel(cancelled);
        wheel.schedule(moved, ms(100)); // earlier
        scheduler.advance(Duration.ofMillis(10));
        assertEquals(1, wheel.armed(), "the cancelled timer left its bucket at the next tick, not at its deadline");
        scheduler.advance(Duration.ofMillis(80));
        assertEquals(List.of(100L), moved.firedAtMillis);
        wheel.schedule(moved, ms(700)); // rearmed from its own expiry time on
        scheduler.advance(Duration.ofMillis(1_000));
        assertTrue(cancelled.firedAtMillis.isEmpty());
        assertEquals(List.of(100L, 700L), moved.firedAtMillis);
        assertEquals(0, wheel.armed());
    }

    @Test
    void aStalledDriverFiresEverythingThatBecameDueAndKeepsTheRest() {
        Recording soon = new Recording();
        Recording later = new Recording();
        wheel.schedule(soon, ms(50));
        wheel.schedule(later, ms(5_000));
        scheduler.advance(Duration.ofMillis(3_000)); // the driver is not running: a stall of many turns
        wheel.run();
        assertEquals(List.of(3_000L), soon.firedAtMillis);
        assertTrue(later.firedAtMillis.isEmpty());
        scheduler.advance(Duration.ofMillis(2_000));
        wheel.run();
        assertEquals(List.of(5_000L), later.firedAtMillis);
    }

    @Test
    void aFailingTimerDoesNotStopTheOthers() {
        wheel.start();
        TimerWheel.Timer failing = new TimerWheel.Timer() {
            @Override
            protected void expired() {
                throw new IllegalStateException("boom");
            }
        };
        Recording fine = new Recording();
        wheel.schedule(failing, ms(20));
        wheel.schedule(fine, ms(20));
        scheduler.advance(Duration.ofMillis(20));
        assertEquals(List.of(20L), fine.firedAtMillis);
        wheel.close();
        wheel.schedule(fine, ms(40));
        scheduler.advance(Duration.ofMillis(100));
        assertEquals(List.of(20L), fine.firedAtMillis, "a closed wheel's driver no longer runs");
    }
}
