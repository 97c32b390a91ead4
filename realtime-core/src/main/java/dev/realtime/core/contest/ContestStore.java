package dev.realtime.core.contest;

import java.util.List;
import java.util.Optional;

/**
 * Contests and their registered participants, shared by every node of a cluster (the Redis module has one). The
 * default is {@link #inMemory()}.
 *
 * <p>Implementations are thread-safe; registration calls are atomic. {@link #claim} decides which node announces
 * a contest's start and end: it returns {@code true} exactly once per contest and milestone across everyone
 * sharing the store. Failures are {@link dev.realtime.core.StoreException}s; calls may do I/O.
 *
 * @since 0.1
 */
public interface ContestStore extends AutoCloseable {

    /** Inserts or overwrites a contest (by id). */
    void save(Contest contest);

    /** The contest with this id. */
    Optional<Contest> byId(String contestId);

    /** All contests, by start time. */
    List<Contest> list();

    /** Deletes a contest and its registrations; {@code false} when there was none. */
    boolean delete(String contestId);

    /** Registers a user; {@code false} when already registered. */
    boolean register(String contestId, String userId);

    /** Unregisters a user; {@code false} when not registered. */
    boolean unregister(String contestId, String userId);

    /** Whether the user is registered. */
    boolean isRegistered(String contestId, String userId);

    /** Registered users. */
    long participantCount(String contestId);

    /** {@code true} for the first caller only, per contest and {@code milestone} (e.g. {@code "ended"}). */
    boolean claim(String contestId, String milestone);

    /**
     * A claim a dead claimer cannot hold forever: granted to the first caller, and again once {@code lease} has
     * passed without {@link #done}. A cluster store implements it; the default is {@link #claim(String, String)}.
     */
    default boolean claim(String contestId, String milestone, java.time.Duration lease) {
        return claim(contestId, milestone);
    }

    /** Marks a milestone as announced: no claim is granted for it any more. The default does nothing. */
    default void done(String contestId, String milestone) {
    }

    /** Whether a milestone was announced (by any node); the default says whether it was ever claimed here. */
    default boolean isDone(String contestId, String milestone) {
        return false;
    }

    /** Releases resources the store owns; the default does nothing. */
    @Override
    default void close() {
    }

    /** A store in this process's memory (unbounded; one node and tests). */
    static ContestStore inMemory() {
        return new InMemoryContestStore();
    }
}
