package dev.realtime.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.StoreException;
import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.ContestStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Contests in Redis, shared by every node: {@code <prefix>contest:{id}} holds the contest as JSON, the set
 * {@code <prefix>contests} their ids, {@code <prefix>contest:{id}:participants} the registered users, and
 * {@code <prefix>contest:{id}:claim:<milestone>} who announces a start or end: {@code held} with a lease while a node
 * announces (a node that dies lets the lease run out, and another one claims), {@code done} once announced.
 * No expiry: {@link #delete} removes a contest.
 *
 * <p>Thread-safe. Closing releases the pool when built from a URL. Failures throw {@link StoreException}.
 *
 * @since 0.1
 */
public final class RedisContestStore implements ContestStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The stored form: instants as epoch milliseconds. */
    private record Doc(String id, String title, long startsAt, long endsAt, List<ContestQuestion> questions,
                       boolean openRegistration) {
    }

    /** KEYS: contest, index. ARGV: json, id. */
    private static final RedisClient.Script SAVE = new RedisClient.Script("""
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[2])
            return 1
            """);

    private final RedisClient client;
    private final String prefix;

    public RedisContestStore(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.prefix = options.keyPrefix();
        this.client = options.openClient();
    }

    @Override
    public void save(Contest c) {
        String json;
        try {
            json = MAPPER.writeValueAsString(new Doc(c.id(), c.title(), c.startsAt().toEpochMilli(),
                    c.endsAt().toEpochMilli(), c.questions(), c.openRegistration()));
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialize contest " + c.id(), e);
        }
        client.writeRetryingOnce("save contest " + c.id(), j -> SAVE.run(j, List.of(key(c.id()), index()),
                List.of(json, c.id())));
    }

    @Override
    public Optional<Contest> byId(String contestId) {
        if (contestId == null || contestId.isEmpty()) {
            return Optional.empty();
        }
        String json = client.read("contest " + contestId, j -> j.get(key(contestId)));
        return Optional.ofNullable(json).map(RedisContestStore::parse);
    }

    @Override
    public List<Contest> list() {
        Set<String> ids = client.read("contest ids", j -> j.smembers(index()));
        List<Contest> out = new ArrayList<>();
        for (String id : ids) {
            byId(id).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(Contest::startsAt).thenComparing(Contest::id));
        return out;
    }

    @Override
    public boolean delete(String contestId) {
        long n = client.writeRetryingOnce("delete contest " + contestId, j -> {
            j.srem(index(), contestId);
            return j.del(key(contestId), key(contestId) + ":participants");
        });
        return n > 0;
    }

    @Override
    public boolean register(String contestId, String userId) {
        return client.writeRetryingOnce("register " + contestId,
                j -> j.sadd(participants(contestId), userId)) == 1;
    }

    @Override
    public boolean unregister(String contestId, String userId) {
        return client.writeRetryingOnce("unregister " + contestId,
                j -> j.srem(participants(contestId), userId)) == 1;
    }

    @Override
    public boolean isRegistered(String contestId, String userId) {
        return client.read("registration " + contestId, j -> j.sismember(participants(contestId), userId));
    }

    @Override
    public long participantCount(String contestId) {
        return client.read("participants " + contestId, j -> j.scard(participants(contestId)));
    }

    @Override
    public boolean claim(String contestId, String milestone) {
        return client.write("claim " + milestone + " of " + contestId,
                j -> j.setnx(key(contestId) + ":claim:" + milestone, "1")) == 1;
    }

    @Override
    public boolean claim(String contestId, String milestone, java.time.Duration lease) {
        String key = key(contestId) + ":claim:" + milestone;
        return "OK".equals(client.write("claim " + milestone + " of " + contestId, j -> j.set(key, "held",
                redis.clients.jedis.params.SetParams.setParams().nx().px(lease.toMillis()))));
    }

    @Override
    public void done(String contestId, String milestone) {
        String key = key(contestId) + ":claim:" + milestone;
        client.write("mark " + milestone + " of " + contestId, j -> j.set(key, "done"));
    }

    @Override
    public boolean isDone(String contestId, String milestone) {
        String key = key(contestId) + ":claim:" + milestone;
        return "done".equals(client.read("state of " + milestone + " of " + contestId, j -> j.get(key)));
    }

    @Override
    public void close() {
        client.close();
    }

    private String key(String id) {
        return prefix + "contest:{" + id + "}";
    }

    private String participants(String id) {
        return key(id) + ":participants";
    }

    private String index() {
        return prefix + "contests";
    }

    private static Contest parse(String json) {
        try {
            Doc d = MAPPER.readValue(json, Doc.class);
            return new Contest(d.id(), d.title(), Instant.ofEpochMilli(d.startsAt()), Instant.ofEpochMilli(d.endsAt()),
                    d.questions(), d.openRegistration());
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt contest document: " + e.getOriginalMessage(), e);
        }
    }
}
