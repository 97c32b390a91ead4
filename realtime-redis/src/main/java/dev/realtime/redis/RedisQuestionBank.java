package dev.realtime.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.StoreException;
import dev.realtime.core.contest.QuestionBank;
import dev.realtime.core.contest.StoredQuestion;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The question bank in Redis: one hash {@code <prefix>questions} (field = id, value = JSON). {@link #find} reads
 * the hash and filters in memory, which suits an authoring tool's thousands of questions, not millions.
 *
 * <p>Thread-safe. Closing releases the pool when built from a URL. Failures throw {@link StoreException}.
 *
 * @since 0.1
 */
public final class RedisQuestionBank implements QuestionBank {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RedisClient client;
    private final String key;

    public RedisQuestionBank(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.key = options.keyPrefix() + "questions";
        this.client = options.openClient();
    }

    @Override
    public void save(StoredQuestion q) {
        String json;
        try {
            json = MAPPER.writeValueAsString(q);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialize question " + q.id(), e);
        }
        client.writeRetryingOnce("save question", j -> j.hset(key, q.id(), json));
    }

    @Override
    public Optional<StoredQuestion> byId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.read("question " + id, j -> j.hget(key, id))).map(RedisQuestionBank::parse);
    }

    @Override
    public List<StoredQuestion> find(String examType, String subject, String difficulty, Boolean verified,
                                     int limit) {
        Map<String, String> all = client.read("questions", j -> j.hgetAll(key));
        return all.values().stream().map(RedisQuestionBank::parse)
                .filter(q -> QuestionBank.matches(q, examType, subject, difficulty, verified))
                .sorted(Comparator.comparing(StoredQuestion::createdAt).thenComparing(StoredQuestion::id))
                .limit(limit).toList();
    }

    @Override
    public boolean delete(String id) {
        return client.writeRetryingOnce("delete question", j -> j.hdel(key, id)) == 1;
    }

    @Override
    public void close() {
        client.close();
    }

    private static StoredQuestion parse(String json) {
        try {
            return MAPPER.readValue(json, StoredQuestion.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt question document: " + e.getOriginalMessage(), e);
        }
    }
}
