package dev.realtime.core.history;

import java.util.Objects;

/**
 * The top of a stream: the offset of its latest event ({@code 0} when none was ever appended in this epoch) and
 * the epoch.
 *
 * @since 0.1
 */
public record StreamPosition(long offset, String epoch) {
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
    }
}
