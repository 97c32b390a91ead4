package dev.realtime.core.contest;

/**
 * Where a contest is in its window: {@code scheduled} before {@link Contest#startsAt()}, {@code live} from the
 * start until {@link Contest#endsAt()} (exclusive), {@code ended} after it. The state is a function of the
 * server's clock, never stored.
 *
 * @since 0.1
 */
public enum ContestState {
    SCHEDULED, LIVE, ENDED;

    /** The lower-case name used on the wire, e.g. {@code "live"}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
