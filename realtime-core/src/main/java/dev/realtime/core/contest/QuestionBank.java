package dev.realtime.core.contest;

import java.util.List;
import java.util.Optional;

/**
 * Stored questions, for authoring contests ({@code /api/questions}): saved after generation, verified or edited
 * by a person, deleted. The default is {@link #inMemory()}; the Redis module shares one across nodes.
 *
 * <p>Implementations are thread-safe; failures are {@link dev.realtime.core.StoreException}s; calls may do I/O.
 *
 * @since 0.1
 */
public interface QuestionBank extends AutoCloseable {

    /** Inserts or overwrites (by id). */
    void save(StoredQuestion question);

    /** The question with this id. */
    Optional<StoredQuestion> byId(String id);

    /**
     * Questions matching every non-null filter (case-insensitive), oldest first, at most {@code limit}.
     *
     * @param verified {@code null} for both
     */
    List<StoredQuestion> find(String examType, String subject, String difficulty, Boolean verified, int limit);

    /** Deletes; {@code false} when absent. */
    boolean delete(String id);

    /** Releases resources the store owns; the default does nothing. */
    @Override
    default void close() {
    }

    /** A bank in this process's memory. */
    static QuestionBank inMemory() {
        return new InMemoryQuestionBank();
    }

    /** Whether {@code q} matches the filters of {@link #find}; for implementations. */
    static boolean matches(StoredQuestion q, String examType, String subject, String difficulty, Boolean verified) {
        return (examType == null || examType.equalsIgnoreCase(q.examType()))
                && (subject == null || subject.equalsIgnoreCase(q.subject()))
                && (difficulty == null || difficulty.equalsIgnoreCase(q.question().difficulty()))
                && (verified == null || verified == q.verified());
    }
}
