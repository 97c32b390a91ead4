package dev.realtime.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.StoreException;
import dev.realtime.core.quiz.Quiz;
import dev.realtime.core.quiz.QuizException;
import dev.realtime.core.quiz.QuizQuestion;
import dev.realtime.core.quiz.QuizStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Quizzes in Redis, shared by every node: {@code <prefix>quiz:{id}} holds the quiz as JSON and
 * {@code <prefix>quiz-token:{token}} the id its magic link points to; both are written by one script. A question
 * is replaced by compare-and-set on the whole document (retried when another node changed it meanwhile), so two
 * concurrent replacements never lose each other. No expiry: quizzes live until deleted.
 *
 * <p>Thread-safe. Closing releases the pool when built from a URL. Failures throw {@link StoreException}.
 *
 * @since 0.1
 */
public final class RedisQuizStore implements QuizStore, AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CAS_ATTEMPTS = 8;

    /** KEYS: quiz, token. ARGV: json, id. */
    private static final RedisClient.Script SAVE = new RedisClient.Script("""
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], ARGV[2])
            return 1
            """);

    /** KEYS: quiz. ARGV: expected json, new json. Returns 1 when swapped. */
    private static final RedisClient.Script SWAP = new RedisClient.Script("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """);

    private final RedisClient client;
    private final String prefix;

    public RedisQuizStore(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.prefix = options.keyPrefix();
        this.client = options.openClient();
    }

    @Override
    public void save(Quiz quiz) {
        String json = json(quiz);
        client.writeRetryingOnce("save quiz " + quiz.id(), j -> SAVE.run(j,
                List.of(quizKey(quiz.id()), tokenKey(quiz.magicToken())), List.of(json, quiz.id())));
    }

    @Override
    public Optional<Quiz> byId(String quizId) {
        if (quizId == null || quizId.isEmpty()) {
            return Optional.empty();
        }
        String json = client.read("quiz " + quizId, j -> j.get(quizKey(quizId)));
        return Optional.ofNullable(json).map(RedisQuizStore::parse);
    }

    @Override
    public Optional<Quiz> byMagicToken(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String id = client.read("quiz token", j -> j.get(tokenKey(token)));
        return id == null ? Optional.empty() : byId(id);
    }

    @Override
    public Quiz replaceQuestion(String quizId, int index, QuizQuestion question) {
        Objects.requireNonNull(question, "question");
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String before = client.read("quiz " + quizId, j -> j.get(quizKey(quizId == null ? "" : quizId)));
            if (before == null) {
                throw QuizException.validation("not_found", "Quiz not found: " + quizId);
            }
            Quiz quiz = parse(before);
            if (index < 0 || index >= quiz.questions().size()) {
                throw new QuizException(ErrorCode.BAD_REQUEST, "bad_request", QuizException.VALIDATION,
                        "questionIndex out of range: " + index);
            }
            Quiz updated = quiz.withQuestion(index, question);
            String after = json(updated);
            Object swapped = client.write("replace question of " + quizId, j -> SWAP.run(j,
                    List.of(quizKey(quizId)), List.of(before, after)));
            if (Long.valueOf(1).equals(swapped)) {
                return updated;
            }
        }
        throw new StoreException("quiz " + quizId + " kept changing; question not replaced");
    }

    @Override
    public void close() {
        client.close();
    }

    private String quizKey(String id) {
        return prefix + "quiz:" + id;
    }

    private String tokenKey(String token) {
        return prefix + "quiz-token:" + token;
    }

    private static String json(Quiz quiz) {
        try {
            return MAPPER.writeValueAsString(quiz);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialize quiz " + quiz.id(), e);
        }
    }

    private static Quiz parse(String json) {
        try {
            return MAPPER.readValue(json, Quiz.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt quiz document: " + e.getOriginalMessage(), e);
        }
    }
}
