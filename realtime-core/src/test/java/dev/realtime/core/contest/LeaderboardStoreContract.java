package dev.realtime.core.contest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@link LeaderboardStore} contract; every implementation runs it unchanged (memory here, a real
 * redis-server in the Redis module).
 */
public abstract class LeaderboardStoreContract {

    /** A fresh, empty store (the subclass closes it). */
    protected abstract LeaderboardStore newStore();

    private static AnswerRecord right(String q, long points, long at) {
        return new AnswerRecord(q, true, points, at);
    }

    @Test
    void scoresRanksAndOrdersBestFirst() {
        LeaderboardStore s = newStore();
        assertEquals(1, s.submit("c1", "alice", right("q1", 900, 1_000)).rank());
        Submission bob = s.submit("c1", "bob", right("q1", 950, 500));
        assertEquals(950, bob.score());
        assertEquals(1, bob.rank());
        Submission carol = s.submit("c1", "carol", new AnswerRecord("q1", false, 0, 700));
        assertEquals(0, carol.score());
        assertEquals(3, carol.rank());
        assertEquals(List.of(new Standing(1, "bob", 950), new Standing(2, "alice", 900),
                new Standing(3, "carol", 0)), s.top("c1", 10));
        assertEquals(List.of(new Standing(1, "bob", 950)), s.top("c1", 1));
        assertEquals(new Standing(2, "alice", 900), s.standing("c1", "alice").orElseThrow());
        assertTrue(s.standing("c1", "nobody").isEmpty());
        assertEquals(3, s.size("c1"));
        assertTrue(s.top("other", 10).isEmpty());
    }

    @Test
    void repeatedSubmitIsIdempotentAndReturnsTheFirstResult() {
        LeaderboardStore s = newStore();
        s.submit("c1", "alice", right("q1", 900, 1_000));
        Submission again = s.submit("c1", "alice", new AnswerRecord("q1", false, 0, 5_000));
        assertTrue(again.duplicate());
        assertTrue(again.answer().correct());
        assertEquals(900, again.answer().points());
        assertEquals(1_000, again.answer().elapsedMillis());
        assertEquals(900, again.score());
        Submission second = s.submit("c1", "alice", right("q2", 800, 2_000));
        assertFalse(second.duplicate());
        assertEquals(1700, second.score());
    }

    @Test
    void equalScoresRankWhoReachedThemFirst() {
        LeaderboardStore s = newStore();
        s.submit("c1", "zed", right("q1", 500, 3_000));
        s.submit("c1", "amy", right("q1", 500, 2_000));
        s.submit("c1", "amy", new AnswerRecord("q2", false, 0, 9_000)); // a wrong answer keeps the time reached
        assertEquals(List.of("amy", "zed"), s.top("c1", 10).stream().map(Standing::userId).toList());
        s.enter("c1", "bea");
        s.enter("c1", "abe");
        s.enter("c1", "amy"); // already on the board: unchanged
        List<Standing> top = s.top("c1", 10);
        assertEquals(List.of("amy", "zed", "bea", "abe"), top.stream().map(Standing::userId).toList());
        assertEquals(500, top.get(0).score());
        assertEquals(0, top.get(3).score());
        assertEquals(4, s.standing("c1", "abe").orElseThrow().rank());
    }

    @Test
    void concurrentSubmitsOfOneAnswerCountOnce() throws Exception {
        LeaderboardStore s = newStore();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Submission>> fs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String user = "u" + (i % 10);
                fs.add(pool.submit(() -> s.submit("c1", user, right("q1", 100, 10))));
            }
            int fresh = 0;
            for (Future<Submission> f : fs) {
                fresh += f.get().duplicate() ? 0 : 1;
            }
            assertEquals(10, fresh);
        } finally {
            pool.shutdown();
        }
        Set<Integer> ranks = new HashSet<>();
        s.top("c1", 100).forEach(st -> {
            assertEquals(100, st.score());
            ranks.add(st.rank());
        });
        assertEquals(10, ranks.size());
    }

    @Test
    void largeScoresAndLongContestsStayExact() {
        LeaderboardStore s = newStore();
        for (int q = 0; q < 50; q++) {
            s.submit("c1", "big", right("q" + q, 100_000, 863_000_000L + q));
        }
        s.submit("c1", "small", right("q0", 99_999, 1));
        assertEquals(5_000_000, s.standing("c1", "big").orElseThrow().score());
        assertEquals(List.of(new Standing(1, "big", 5_000_000), new Standing(2, "small", 99_999)), s.top("c1", 5));
        s.delete("c1");
        assertEquals(0, s.size("c1"));
    }
}
