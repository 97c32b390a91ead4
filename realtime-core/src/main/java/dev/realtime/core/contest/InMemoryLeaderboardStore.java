package dev.realtime.core.contest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link LeaderboardStore} in memory: per contest one lock guarding its answers and an ordered set of entries.
 * Ranks cost O(n) per lookup, fine for one node's tests and demos; a cluster uses Redis. Thread-safe.
 */
final class InMemoryLeaderboardStore implements LeaderboardStore {
    /** One user's place on a board: the sort key and the user id (the tie-break of last resort). */
    private record Entry(double key, String userId) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingDouble(Entry::key).reversed()
            .thenComparing(Entry::userId, Comparator.reverseOrder());

    private static final class Board {
        /** Guarded by this. */
        final Map<String, AnswerRecord> answers = new HashMap<>();
        /** Guarded by this. */
        final Map<String, Entry> entries = new HashMap<>();
        /** Guarded by this. */
        final Map<String, Long> scores = new HashMap<>();
        /** Elapsed millis when each user reached their score. Guarded by this. */
        final Map<String, Long> reached = new HashMap<>();
        /** Guarded by this. */
        final TreeSet<Entry> order = new TreeSet<>(BEST_FIRST);

        int rankOf(Entry e) {
            return order.headSet(e, false).size() + 1;
        }
    }

    private final ConcurrentHashMap<String, Board> boards = new ConcurrentHashMap<>();

    private Board board(String contestId) {
        return boards.computeIfAbsent(contestId, k -> new Board());
    }

    @Override
    public Submission submit(String contestId, String userId, AnswerRecord answer) {
        Board b = board(contestId);
        synchronized (b) {
            AnswerRecord first = b.answers.putIfAbsent(userId + '\u0000' + answer.questionId(), answer);
            Entry entry = b.entries.get(userId);
            if (first != null) { // recorded answers imply an entry
                return new Submission(first, true, b.scores.get(userId), b.rankOf(entry));
            }
            long score = b.scores.getOrDefault(userId, 0L) + answer.points();
            b.scores.put(userId, score);
            long reached = answer.points() > 0 ? answer.elapsedMillis()
                    : b.reached.getOrDefault(userId, LeaderboardStore.TIME_SLOTS - 1);
            b.reached.put(userId, reached);
            if (entry != null) {
                b.order.remove(entry);
            }
            Entry updated = new Entry(LeaderboardStore.sortKey(score, reached), userId);
            b.entries.put(userId, updated);
            b.order.add(updated);
            return new Submission(first != null ? first : answer, first != null, score, b.rankOf(updated));
        }
    }

    @Override
    public void enter(String contestId, String userId) {
        Board b = board(contestId);
        synchronized (b) {
            if (!b.entries.containsKey(userId)) {
                Entry e = new Entry(LeaderboardStore.sortKey(0, LeaderboardStore.TIME_SLOTS - 1), userId);
                b.entries.put(userId, e);
                b.scores.put(userId, 0L);
                b.order.add(e);
            }
        }
    }

    @Override
    public List<Standing> top(String contestId, int limit) {
        Board b = boards.get(contestId);
        List<Standing> out = new ArrayList<>();
        if (b == null) {
            return out;
        }
        synchronized (b) {
            int rank = 0;
            for (Entry e : b.order) {
                if (rank == limit) {
                    break;
                }
                out.add(new Standing(++rank, e.userId(), b.scores.get(e.userId())));
            }
        }
        return out;
    }

    @Override
    public Optional<Standing> standing(String contestId, String userId) {
        Board b = boards.get(contestId);
        if (b == null) {
            return Optional.empty();
        }
        synchronized (b) {
            Entry e = b.entries.get(userId);
            return e == null ? Optional.empty() : Optional.of(new Standing(b.rankOf(e), userId, b.scores.get(userId)));
        }
    }

    @Override
    public long size(String contestId) {
        Board b = boards.get(contestId);
        if (b == null) {
            return 0;
        }
        synchronized (b) {
            return b.entries.size();
        }
    }

    @Override
    public void delete(String contestId) {
        boards.remove(contestId);
    }
}
