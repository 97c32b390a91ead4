package dev.realtime.core.history;

import java.util.List;
import java.util.Objects;

/**
 * The answer to {@link HistoryStore#read}: the entries after the requested offset (oldest first), the stream's
 * current top, and whether the history still reaches back to the requested offset.
 *
 * @param entries  entries with {@code offset > after}, oldest first, at most {@code limit}
 * @param position the stream's top when the page was read
 * @param complete {@code true} when no entry after the requested offset has been lost (trimmed or expired):
 *                 the entries are exactly what was published after it; {@code false} means a gap
 * @since 0.1
 */
public record HistoryPage(List<HistoryEntry> entries, StreamPosition position, boolean complete) {
    public HistoryPage {
        entries = List.copyOf(entries);
        Objects.requireNonNull(position, "position");
    }
}
