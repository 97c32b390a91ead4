package dev.realtime.core.interview;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Suggester} answered: the suggestions and which engine wrote them (sent as {@code source}).
 *
 * @param items  short suggestions, possibly none
 * @param source the engine, e.g. {@code gemini} or {@code offline}
 * @since 0.2
 */
public record Suggestions(List<String> items, String source) {
    public Suggestions {
        items = List.copyOf(items);
        Objects.requireNonNull(source, "source");
    }
}
