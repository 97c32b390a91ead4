package dev.realtime.core.contest;

import dev.realtime.core.quiz.Question;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A question in the {@link QuestionBank}: generated (or written), then verified by a person before contests use
 * it. Immutable.
 *
 * @param id        unique id
 * @param examType  e.g. {@code SAT} (may be empty)
 * @param subject   e.g. {@code Mathematics}
 * @param question  the question with its answer
 * @param verified  whether a person checked it
 * @param createdAt ISO-8601 instant of creation
 * @since 0.1
 */
public record StoredQuestion(String id, String examType, String subject, Question question, boolean verified,
                             String createdAt) {
    public StoredQuestion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        examType = examType == null ? "" : examType;
        subject = subject == null ? "" : subject;
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A copy with {@code verified} and, when non-null, another question. */
    public StoredQuestion with(Question replacement, boolean isVerified) {
        return new StoredQuestion(id, examType, subject, replacement == null ? question : replacement, isVerified,
                createdAt);
    }

    /** The question as participants see it: text and options, never the answer or its explanation. */
    public Map<String, Object> participantView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("examType", examType);
        m.put("subject", subject);
        m.put("question", question.question());
        m.put("options", question.options());
        m.put("difficulty", question.difficulty());
        m.put("verified", verified);
        return m;
    }
}
