package dev.realtime.redis;

import dev.realtime.core.contest.AnswerRecord;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.core.contest.Standing;
import dev.realtime.core.contest.Submission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.resps.Tuple;

/**
 * Leaderboards in Redis, shared by every node. Per contest: the sorted set {@code <prefix>contest:{id}:board}
 * (member = user, score = {@link LeaderboardStore#sortKey}), the hashes {@code :scores} (total points),
 * {@code :reached} (elapsed millis when the total was reached) and {@code :answers} (first answer per user and
 * question). One Lua script records an answer, adds its points ({@code HINCRBY}, then {@code ZADD} of the new
 * key) and reads the rank ({@code ZREVRANK}), so a repeated or concurrent submit on any node is idempotent.
 * Standings come from {@code ZREVRANGE ... WITHSCORES}; equal keys order by member in reverse, as
 * {@link LeaderboardStore} specifies. No expiry: {@link #delete} removes a contest's keys.
 *
 * <p>Thread-safe. Closing releases the pool when built from a URL. Failures throw
 * {@link dev.realtime.core.StoreException}.
 *
 * @since 0.1
 */
public final class RedisLeaderboardStore implements LeaderboardStore {

    /**
     * KEYS: answers, board, scores, reached. ARGV: field, record, user, points, elapsed, slots.
     * Returns {duplicate, record, score, rank0}. The key is formatted with %.0f: Lua's tostring keeps 14 digits.
     */
    private static final RedisClient.Script SUBMIT = new RedisClient.Script("""
            local prev = redis.call('HGET', KEYS[1], ARGV[1])
            if not prev then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
              local score = redis.call('HINCRBY', KEYS[3], ARGV[3], ARGV[4])
              local slots = tonumber(ARGV[6])
              local reached
              if tonumber(ARGV[4]) > 0 then
                reached = tonumber(ARGV[5])
                redis.call('HSET', KEYS[4], ARGV[3], ARGV[5])
              else
                reached = tonumber(redis.call('HGET', KEYS[4], ARGV[3]) or (slots - 1))
              end
              redis.call('ZADD', KEYS[2], string.format('%.0f', score * slots + (slots - 1 - reached)), ARGV[3])
            end
            local score = redis.call('HGET', KEYS[3], ARGV[3])
            local rank = redis.call('ZREVRANK', KEYS[2], ARGV[3])
            return {prev and 1 or 0, prev or ARGV[2], score, rank}
            """);

    /** KEYS: board, scores. ARGV: user, key of a zero score. */
    private static final RedisClient.Script ENTER = new RedisClient.Script("""
            if redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1]) == 1 then
              redis.call('HSETNX', KEYS[2], ARGV[1], 0)
            end
            return 1
            """);

    /** KEYS: board, scores. ARGV: user. Returns {rank0, score} or nil. */
    private static final RedisClient.Script STANDING = new RedisClient.Script("""
            local rank = redis.call('ZREVRANK', KEYS[1], ARGV[1])
            if not rank then return nil end
            return {rank, redis.call('HGET', KEYS[2], ARGV[1])}
            """);

    private final RedisClient client;
    private final String prefix;

    public RedisLeaderboardStore(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        this.prefix = options.keyPrefix();
        this.client = options.openClient();
    }

    @Override
    public Submission submit(String contestId, String userId, AnswerRecord answer) {
        long elapsed = Math.min(answer.elapsedMillis(), TIME_SLOTS - 1);
        String record = (answer.correct() ? "1" : "0") + ":" + answer.points() + ":" + elapsed;
        Object out = client.write("submit answer to " + contestId, j -> SUBMIT.run(j,
                List.of(key(contestId, "answers"), key(contestId, "board"), key(contestId, "scores"),
                        key(contestId, "reached")),
                List.of(userId + "|" + answer.questionId(), record, userId, Long.toString(answer.points()),
                        Long.toString(elapsed), Long.toString(TIME_SLOTS))));
        List<?> r = (List<?>) out;
        boolean duplicate = ((Long) r.get(0)) == 1L;
        String[] first = ((String) r.get(1)).split(":");
        AnswerRecord recorded = new AnswerRecord(answer.questionId(), "1".equals(first[0]),
                Long.parseLong(first[1]), Long.parseLong(first[2]));
        long score = Long.parseLong((String) r.get(2));
        int rank = (int) (long) (Long) r.get(3) + 1;
        return new Submission(recorded, duplicate, score, rank);
    }

    @Override
    public void enter(String contestId, String userId) {
        client.writeRetryingOnce("enter " + contestId, j -> ENTER.run(j,
                List.of(key(contestId, "board"), key(contestId, "scores")),
                List.of(userId, Long.toString(TIME_SLOTS - 1))));
    }

    @Override
    public List<Standing> top(String contestId, int limit) {
        List<Tuple> tuples = client.read("leaderboard " + contestId,
                j -> j.zrevrangeWithScores(key(contestId, "board"), 0, limit - 1));
        List<Standing> out = new ArrayList<>(tuples.size());
        for (Tuple t : tuples) {
            out.add(new Standing(out.size() + 1, t.getElement(), LeaderboardStore.scoreOf(t.getScore())));
        }
        return out;
    }

    @Override
    public Optional<Standing> standing(String contestId, String userId) {
        Object out = client.read("standing in " + contestId, j -> STANDING.run(j,
                List.of(key(contestId, "board"), key(contestId, "scores")), List.of(userId)));
        if (out == null) {
            return Optional.empty();
        }
        List<?> r = (List<?>) out;
        return Optional.of(new Standing((int) (long) (Long) r.get(0) + 1, userId, Long.parseLong((String) r.get(1))));
    }

    @Override
    public long size(String contestId) {
        return client.read("leaderboard size " + contestId, j -> j.zcard(key(contestId, "board")));
    }

    @Override
    public void delete(String contestId) {
        client.writeRetryingOnce("delete leaderboard " + contestId, j -> j.del(key(contestId, "answers"),
                key(contestId, "board"), key(contestId, "scores"), key(contestId, "reached")));
    }

    @Override
    public void close() {
        client.close();
    }

    private String key(String contestId, String part) {
        return prefix + "contest:{" + contestId + "}:" + part;
    }
}
