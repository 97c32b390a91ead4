package dev.realtime.core.quiz;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A generated quiz as stored by a {@link QuizStore}. Immutable; {@link #withQuestion} returns a copy.
 *
 * <p>{@code magicToken}, {@code ownerUserId} and {@code sourcePages} are private to the server: the pipeline sends
 * clients {@link #publicView()}, never the record itself.
 *
 * @param id          random id (UUID)
 * @param title       from {@link QuizMetadata}
 * @param description from {@link QuizMetadata}
 * @param topics      from {@link QuizMetadata}
 * @param questions   in page order
 * @param magicToken  32 random bytes, base64url: whoever has it may open the quiz ({@code /q/{token}})
 * @param createdAt   ISO-8601 instant
 * @param sourceFile  the stored PDF's name
 * @param ownerUserId the generating client's user id, or {@code null} for anonymous clients
 * @param options     the normalized generation options
 * @param stats       as sent in {@code quiz-complete}
 * @param sourcePages every page's text and images, for question replacement
 * @since 0.1
 */
public record Quiz(String id, String title, String description, List<String> topics, List<QuizQuestion> questions,
                   String magicToken, String createdAt, String sourceFile, String ownerUserId, QuizOptions options,
                   QuizStats stats, List<SourcePage> sourcePages) {
    public Quiz {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(magicToken, "magicToken");
        topics = List.copyOf(topics);
        questions = List.copyOf(questions);
        sourcePages = List.copyOf(sourcePages);
    }

    /** A copy with question {@code index} replaced. */
    public Quiz withQuestion(int index, QuizQuestion question) {
        Objects.checkIndex(index, questions.size());
        List<QuizQuestion> copy = new ArrayList<>(questions);
        copy.set(index, Objects.requireNonNull(question, "question"));
        return new Quiz(id, title, description, topics, copy, magicToken, createdAt, sourceFile, ownerUserId, options,
                stats, sourcePages);
    }

    /** The page a question came from, if it was kept. */
    public java.util.Optional<SourcePage> sourcePage(int number) {
        return sourcePages.stream().filter(p -> p.number() == number).findFirst();
    }

    /** What clients see: id, title, description, topics, questions, sourceFile, createdAt, stats. */
    public java.util.Map<String, Object> publicView() {
        java.util.Map<String, Object> m = participantView();
        m.put("questions", questions);
        m.put("sourceFile", sourceFile);
        return m;
    }

    /**
     * What a share link shows a participant: the questions without their answers and explanations, and no
     * reference to the source file.
     */
    public java.util.Map<String, Object> participantView() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("description", description);
        m.put("topics", topics);
        java.util.List<java.util.Map<String, Object>> qs = new java.util.ArrayList<>();
        for (QuizQuestion q : questions) {
            java.util.Map<String, Object> v = new java.util.LinkedHashMap<>();
            v.put("id", q.id());
            v.put("page", q.page());
            v.put("question", q.question());
            v.put("options", q.options());
            v.put("difficulty", q.difficulty());
            if (q.imageUrl() != null) {
                v.put("imageUrl", q.imageUrl());
            }
            qs.add(v);
        }
        m.put("questions", qs);
        m.put("createdAt", createdAt);
        m.put("stats", stats);
        return m;
    }
}
