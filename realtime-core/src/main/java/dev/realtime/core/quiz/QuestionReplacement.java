package dev.realtime.core.quiz;

import dev.realtime.core.Client;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code replace-question} handler of a {@link QuizPipeline} (see {@link QuizPipeline#replaceQuestion}):
 * checks the request, generates a new question from the same page on the pipeline executor, stores it and
 * reports {@code question_replace} statuses. Thread-safe; each replacement is independent.
 */
final class QuestionReplacement {
    private static final Logger log = LoggerFactory.getLogger(QuizPipeline.class);

    private final RealtimeHub hub;
    private final QuizStore quizStore;
    private final QuestionGenerator generator;
    private final GeneratorRetries retries;
    private final ExecutorService executor;
    private final Supplier<String> newId;

    QuestionReplacement(RealtimeHub hub, QuizStore quizStore, QuestionGenerator generator, GeneratorRetries retries,
            ExecutorService executor, Supplier<String> newId) {
        this.hub = hub;
        this.quizStore = quizStore;
        this.generator = generator;
        this.retries = retries;
        this.executor = executor;
        this.newId = newId;
    }

    CompletableFuture<Map<String, Object>> replace(Client client, ReplaceQuestionRequest request) {
        if (request == null || request.quizId() == null || request.questionIndex() == null) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "quizId and questionIndex are required");
        }
        Quiz quiz = quizStore.byId(request.quizId())
                .orElseThrow(() -> new RealtimeException(ErrorCode.NOT_FOUND, "quiz not found: " + request.quizId()));
        if (quiz.ownerUserId() != null && !quiz.ownerUserId().equals(client.userId().orElse(null))) {
            throw new RealtimeException(ErrorCode.FORBIDDEN, "not your quiz");
        }
        int index = request.questionIndex();
        if (index < 0 || index >= quiz.questions().size()) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "questionIndex out of range: " + index);
        }
        String jobId = UUID.randomUUID().toString();
        Status status = new Status(client, jobId, quiz.id(), index);
        status.send("processing", 0, "Replacing question " + (index + 1), null);
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    QuizQuestion q = generate(quiz, index, request.instructions(), status);
                    quizStore.replaceQuestion(quiz.id(), index, q);
                    status.send("completed", 100, "Question replaced", q);
                    Map<String, Object> ack = new LinkedHashMap<>();
                    ack.put("jobId", jobId);
                    ack.put("quizId", quiz.id());
                    ack.put("questionIndex", index);
                    ack.put("question", q);
                    return ack;
                } catch (RuntimeException e) {
                    status.send("failed", 100, e.getMessage() != null ? e.getMessage() : "replacement failed", null);
                    throw e instanceof RealtimeException ? e
                            : new RealtimeException(ErrorCode.INTERNAL, "replacement failed", e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            throw new RealtimeException(ErrorCode.UNAVAILABLE, "quiz pipeline is shut down");
        }
    }

    private QuizQuestion generate(Quiz quiz, int index, String instructions, Status status) {
        QuizQuestion old = quiz.questions().get(index);
        SourcePage page = quiz.sourcePage(old.page())
                .filter(p -> !p.text().isBlank())
                .orElseThrow(() -> new RealtimeException(ErrorCode.NOT_FOUND,
                        "the text of page " + old.page() + " was not kept"));
        Set<String> existing = new HashSet<>();
        long onPage = 0;
        for (QuizQuestion q : quiz.questions()) {
            existing.add(normalize(q.question()));
            if (q.page() == old.page()) {
                onPage++;
            }
        }
        QuizOptions o = quiz.options() != null ? quiz.options() : QuizOptions.defaults();
        // ask for more than the page already has, so that at least one is new even from a deterministic generator
        int count = (int) Math.min(QuestionRequest.MAX_COUNT, onPage + 3);
        QuestionRequest request = new QuestionRequest(page.text(), count, o.difficulty(), o.includeExplanations(),
                o.language(), null, instructions);
        status.send("processing", 30, "Generating a new question from page " + old.page(), null);
        List<Question> generated = retries.call(() -> generator.generate(request), () -> false);
        status.send("processing", 80, "Checking the new question", null);
        for (Question q : generated) {
            if (!existing.contains(normalize(q.question()))) {
                return QuizQuestion.of(newId.get(), old.page(), q, old.imageUrl());
            }
        }
        throw new QuizException(ErrorCode.UNAVAILABLE, "no_alternative", QuizException.GENERATION,
                "No different question could be generated from page " + old.page());
    }

    private static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }

    /** Sends {@code question_replace} to the client and its user room. */
    private final class Status {
        private final Client client;
        private final String jobId;
        private final String quizId;
        private final int index;

        Status(Client client, String jobId, String quizId, int index) {
            this.client = client;
            this.jobId = jobId;
            this.quizId = quizId;
            this.index = index;
        }

        void send(String status, int progress, String message, QuizQuestion question) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobId", jobId);
            m.put("quizId", quizId);
            m.put("questionIndex", index);
            m.put("status", status);
            m.put("progress", progress);
            m.put("message", message);
            if (question != null) {
                m.put("question", question);
            }
            String user = client.userId().orElse(null);
            if (user == null || !client.rooms().contains("user:" + user)) {
                client.emit(QuizPipeline.QUESTION_REPLACE, m); // a client in its user room gets it from there, once
            }
            if (user != null) {
                try {
                    hub.emitToUser(user, QuizPipeline.QUESTION_REPLACE, m);
                } catch (RuntimeException e) {
                    log.warn("question_replace to user room failed", e);
                }
            }
        }
    }
}
