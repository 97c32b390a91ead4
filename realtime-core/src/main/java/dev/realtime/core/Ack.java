package dev.realtime.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An acknowledgement with any number of values, returned by an {@link EventListener} or {@link EventHandler}
 * (directly or as the result of a {@link java.util.concurrent.CompletionStage}). Socket.IO clients receive
 * the values as the arguments of their ack callback ({@code Ack.of(a, b)} calls {@code cb(a, b)},
 * {@code Ack.none()} calls {@code cb()}); native clients receive the first value (or {@code null}) as the
 * {@code ack}'s data. Returning any other object acknowledges with that one value; {@code null} with none.
 *
 * @param values the values in order; {@code null} elements are JSON nulls
 * @since 0.2
 */
public record Ack(List<Object> values) {
    public Ack {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** An acknowledgement carrying {@code values}. */
    public static Ack of(Object... values) {
        return new Ack(java.util.Arrays.asList(values));
    }

    /** An acknowledgement without values. */
    public static Ack none() {
        return new Ack(List.of());
    }
}
