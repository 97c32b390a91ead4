package dev.realtime.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks for builders (the library's and those of SPI implementations): fail fast with an
 * {@link IllegalArgumentException} or {@link IllegalStateException} whose message names the setting. Stateless.
 *
 * @since 0.2
 */
public final class Checks {
    private Checks() {
    }

    /** {@code d}, when positive. */
    public static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** {@code v}, when at least {@code min}. */
    public static int atLeast(int v, int min, String name) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + v);
        }
        return v;
    }

    /** Fails when a setting that may be given once already was. */
    public static void requireUnset(Object current, String name) {
        if (current != null) {
            throw new IllegalStateException(name + " was already set to " + current);
        }
    }
}
