package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.llm.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link QuizPipeline} calls its generator: up to {@code 1 + retries} attempts, the first retry after
 * {@code backoff}, then doubling; refusals ({@code bad_request}) are not retried. Immutable; thread-safe.
 */
final class GeneratorRetries {
    private static final Logger log = LoggerFactory.getLogger(QuizPipeline.class);

    private final int retries;
    private final Duration backoff;
    private final Sleeper sleeper;

    GeneratorRetries(int retries, Duration backoff, Sleeper sleeper) {
        this.retries = retries;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    /**
     * Calls {@code call} until it succeeds, is refused or the attempts are used up (then throws its last error).
     *
     * @throws QuizRun.Stopped when {@code stopped} turns true before a call or during a backoff
     */
    List<Question> call(Supplier<List<Question>> call, BooleanSupplier stopped) {
        RuntimeException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (stopped.getAsBoolean()) {
                throw new QuizRun.Stopped();
            }
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (stopped.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                    throw new QuizRun.Stopped();
                }
                last = e;
                if (e instanceof RealtimeException re && re.code() == ErrorCode.BAD_REQUEST) {
                    break;
                }
                if (attempt < retries) {
                    log.debug("generator failed (attempt {}), retrying: {}", attempt + 1, e.toString());
                    try {
                        sleeper.sleep(backoff.multipliedBy(1L << Math.min(attempt, 16)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new QuizRun.Stopped();
                    }
                }
            }
        }
        throw last;
    }
}
