package dev.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.quiz.Quiz;
import dev.realtime.core.quiz.QuizException;
import dev.realtime.core.quiz.QuizQuestion;
import dev.realtime.core.quiz.QuizStats;
import dev.realtime.core.quiz.SourcePage;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Quizzes through a real redis-server, read back by another store (another node). */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisQuizStoreTest {

    private static QuizQuestion q(String id, String text) {
        return new QuizQuestion(id, 1, text, List.of("A", "B", "C", "D"), 2, "because", "easy", null);
    }

    private static Quiz quiz() {
        return new Quiz("quiz-1", "Photosynthesis", "About plants", List.of("biology"),
                List.of(q("q1", "First?"), q("q2", "Second?")), "tok-" + UUID.randomUUID(), "2026-01-01T00:00:00Z",
                "f.pdf", "alice", null, new QuizStats(1, 1, 2, "2026-01-01T00:00:00Z"),
                List.of(new SourcePage(1, "processed", "Plants make sugar.", List.of())));
    }

    @Test
    void savedQuizIsReadByIdAndMagicTokenFromAnotherNode(RedisTestServer server) {
        RedisOptions options = RedisOptions.builder().url(server.url()).keyPrefix("q-" + UUID.randomUUID() + ":")
                .build();
        try (RedisQuizStore a = new RedisQuizStore(options); RedisQuizStore b = new RedisQuizStore(options)) {
            Quiz quiz = quiz();
            a.save(quiz);
            assertEquals(quiz, b.byId("quiz-1").orElseThrow());
            assertEquals("quiz-1", b.byMagicToken(quiz.magicToken()).orElseThrow().id());
            assertTrue(b.byMagicToken("nope").isEmpty());
            assertTrue(b.byId("nope").isEmpty());

            Quiz updated = b.replaceQuestion("quiz-1", 1, q("q3", "Replaced?"));
            assertEquals("Replaced?", a.byId("quiz-1").orElseThrow().questions().get(1).question());
            assertEquals(updated, a.byId("quiz-1").orElseThrow());
            assertThrows(QuizException.class, () -> a.replaceQuestion("quiz-1", 5, q("x", "?")));
            assertThrows(QuizException.class, () -> a.replaceQuestion("missing", 0, q("x", "?")));
        }
    }

    @Test
    void concurrentReplacementsOfDifferentQuestionsAreBothKept(RedisTestServer server) {
        RedisOptions options = RedisOptions.builder().url(server.url()).keyPrefix("q-" + UUID.randomUUID() + ":")
                .build();
        try (RedisQuizStore a = new RedisQuizStore(options); RedisQuizStore b = new RedisQuizStore(options)) {
            a.save(quiz());
            for (int round = 0; round < 20; round++) {
                String r = "r" + round;
                CompletableFuture<Quiz> x = CompletableFuture.supplyAsync(() -> a.replaceQuestion("quiz-1", 0, q(r + "a", r + "?a")));
                CompletableFuture<Quiz> y = CompletableFuture.supplyAsync(() -> b.replaceQuestion("quiz-1", 1, q(r + "b", r + "?b")));
                x.join();
                y.join();
                Quiz now = a.byId("quiz-1").orElseThrow();
                assertEquals(r + "?a", now.questions().get(0).question());
                assertEquals(r + "?b", now.questions().get(1).question());
            }
        }
    }

}
