package dev.realtime.core.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private static final Duration S1 = Duration.ofSeconds(1);

    @Test
    void constantAndExponential() {
        assertEquals(S1, RetryPolicy.constant(S1).delay(7));
        RetryPolicy exp = RetryPolicy.exponential(S1, Duration.ofSeconds(60));
        assertEquals(S1, exp.delay(0));
        assertEquals(S1, exp.delay(1));
        assertEquals(Duration.ofSeconds(2), exp.delay(2));
        assertEquals(Duration.ofSeconds(32), exp.delay(6));
        assertEquals(Duration.ofSeconds(60), exp.delay(7));
        assertEquals(Duration.ofSeconds(60), exp.delay(Integer.MAX_VALUE));
        assertEquals(Duration.ofSeconds(9), RetryPolicy.exponential(S1, Duration.ofSeconds(60), 3).delay(3));
        assertEquals(Duration.ZERO, RetryPolicy.none().delay(3));
    }

    @Test
    void jitterStaysInBounds() {
        RetryPolicy full = RetryPolicy.fullJitter(S1, Duration.ofSeconds(8), new SplittableRandom(1));
        RetryPolicy equal = RetryPolicy.equalJitter(S1, Duration.ofSeconds(8), new SplittableRandom(1));
        for (int attempt = 1; attempt < 10; attempt++) {
            long cap = Math.min(8000, 1000L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                long f = full.delay(attempt).toMillis();
                long e = equal.delay(attempt).toMillis();
                assertTrue(f >= 0 && f <= cap, "full " + f);
                assertTrue(e >= cap / 2 && e <= cap, "equal " + e);
            }
        }
        Duration d = RetryPolicy.fullJitter(S1, Duration.ofSeconds(8)).delay(3);
        assertTrue(d.compareTo(Duration.ofSeconds(4)) <= 0);
    }

    @Test
    void argumentsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.constant(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.exponential(Duration.ZERO, S1));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.exponential(Duration.ofSeconds(2), S1));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.exponential(S1, S1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.fullJitter(null, S1));
        assertThrows(NullPointerException.class, () -> RetryPolicy.equalJitter(S1, S1, null));
    }
}
