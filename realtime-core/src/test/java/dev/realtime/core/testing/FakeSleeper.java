package dev.realtime.core.testing;

import dev.realtime.core.llm.Sleeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Sleeper} that records each requested sleep and advances a {@link FakeClock} instead of sleeping. */
public final class FakeSleeper implements Sleeper {
    private final FakeClock clock;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public FakeSleeper(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        if (clock != null && !duration.isNegative()) {
            clock.advance(duration);
        }
    }

    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
