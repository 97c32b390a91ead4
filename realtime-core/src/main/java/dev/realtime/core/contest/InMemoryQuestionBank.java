package dev.realtime.core.contest;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link QuestionBank} in a concurrent map; thread-safe, unbounded. */
final class InMemoryQuestionBank implements QuestionBank {
    private final ConcurrentHashMap<String, StoredQuestion> questions = new ConcurrentHashMap<>();

    @Override
    public void save(StoredQuestion question) {
        questions.put(question.id(), question);
    }

    @Override
    public Optional<StoredQuestion> byId(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(questions.get(id));
    }

    @Override
    public List<StoredQuestion> find(String examType, String subject, String difficulty, Boolean verified,
                                     int limit) {
        return questions.values().stream()
                .filter(q -> QuestionBank.matches(q, examType, subject, difficulty, verified))
                .sorted(Comparator.comparing(StoredQuestion::createdAt).thenComparing(StoredQuestion::id))
                .limit(limit).toList();
    }

    @Override
    public boolean delete(String id) {
        return questions.remove(id) != null;
    }
}
