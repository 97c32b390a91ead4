package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link QuizStore} in two concurrent maps (by id, token to id). Unbounded: quizzes stay until the process ends.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryQuizStore implements QuizStore {
    private final ConcurrentMap<String, Quiz> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> idByToken = new ConcurrentHashMap<>();

    @Override
    public void save(Quiz quiz) {
        Objects.requireNonNull(quiz, "quiz");
        Quiz previous = byId.put(quiz.id(), quiz);
        if (previous != null && !previous.magicToken().equals(quiz.magicToken())) {
            idByToken.remove(previous.magicToken(), previous.id());
        }
        idByToken.put(quiz.magicToken(), quiz.id());
    }

    @Override
    public Optional<Quiz> byId(String quizId) {
        return quizId == null ? Optional.empty() : Optional.ofNullable(byId.get(quizId));
    }

    @Override
    public Optional<Quiz> byMagicToken(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String id = idByToken.get(token);
        return id == null ? Optional.empty() : byId(id);
    }

    @Override
    public Quiz replaceQuestion(String quizId, int index, QuizQuestion question) {
        Objects.requireNonNull(question, "question");
        Quiz updated = byId.computeIfPresent(quizId == null ? "" : quizId, (id, q) -> {
            if (index < 0 || index >= q.questions().size()) {
                throw new QuizException(ErrorCode.BAD_REQUEST, "bad_request", QuizException.VALIDATION,
                        "questionIndex out of range: " + index);
            }
            return q.withQuestion(index, question);
        });
        if (updated == null) {
            throw QuizException.validation("not_found", "Quiz not found: " + quizId);
        }
        return updated;
    }
}
