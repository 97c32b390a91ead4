package dev.realtime.core.llm;

import dev.realtime.core.testing.FakeGeminiServer;
import dev.realtime.core.testing.FakeGeminiServer.FakeResponse;
import dev.realtime.core.testing.FakeSleeper;
import dev.realtime.core.testing.GeminiBodies;
import dev.realtime.core.testing.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class GeminiKeyRotatingClientTest {
    private static final GenerateContentRequest REQ = GenerateContentRequest.ofText("Write a question.");

    private FakeGeminiServer server;
    private final FakeClock clock = FakeClock.atDefault();
    private final FakeSleeper sleeper = new FakeSleeper(clock);
    private final List<KeyStateChange> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = FakeGeminiServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiKeyPool.Builder pool(String... keys) {
        ApiKeyPool.Builder b = ApiKeyPool.builder().clock(clock).sleeper(sleeper).retryDelayJitter(Duration.ZERO)
                .maxWait(Duration.ZERO).listener(events::add);
        for (String k : keys) {
            b.addKey(k);
        }
        return b;
    }

    private GeminiKeyRotatingClient client(ApiKeyPool pool) {
        return client(pool, GeminiClient.builder().baseUrl(server.baseUrl()).build());
    }

    private GeminiKeyRotatingClient client(ApiKeyPool pool, GeminiClient gemini) {
        return GeminiKeyRotatingClient.builder(gemini, pool).sleeper(sleeper)
                .serverErrorBackoff(RetryPolicy.exponential(Duration.ofMillis(500), Duration.ofSeconds(8)))
                .overloadedBackoff(RetryPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(30)))
                .build();
    }

    @Test
    void keyErrorsBlockTheKeyAndRotate() {
        for (String body : List.of(GeminiBodies.API_KEY_INVALID, GeminiBodies.API_KEY_EXPIRED,
                GeminiBodies.CONSUMER_SUSPENDED, GeminiBodies.LEAKED)) {
            server.close();
            server = FakeGeminiServer.start();
            int status = body.contains("\"code\":400") ? 400 : 403;
            server.always("bad", FakeResponse.error(status, body));
            ApiKeyPool pool = pool("bad", "good").build();
            GeminiKeyRotatingClient gemini = client(pool);

            for (int i = 0; i < 4; i++) {
                assertEquals("Hello from the fake.", gemini.generateContent(REQ).text());
            }
            assertEquals(1, server.requestsFor("bad").size(), body);
            assertEquals(4, server.requestsFor("good").size());
            KeyStats bad = pool.stats("key-1");
            assertEquals(KeyState.BLOCKED, bad.state());
            assertTrue(bad.failuresByClass().keySet().stream()
                    .allMatch(c -> c == ErrorClass.KEY_INVALID || c == ErrorClass.KEY_REVOKED), bad.toString());
        }
    }

    @Test
    void perMinuteQuotaCoolsForRetryDelayThenKeyReturns() {
        server.enqueue("a", FakeResponse.error(429, GeminiBodies.RATE_LIMIT_PER_MINUTE));
        ApiKeyPool pool = pool("a", "b").build();
        GeminiKeyRotatingClient gemini = client(pool);
        Instant t0 = clock.instant();

        gemini.generateContent(REQ);
        assertEquals(List.of("a", "b"), server.requests().stream().map(r -> r.apiKey()).toList());
        KeyStats a = pool.stats("key-1");
        assertEquals(KeyState.COOLING, a.state());
        assertEquals(t0.plusSeconds(38), a.blockedUntil());
        assertEquals(1L, a.failuresByClass().get(ErrorClass.RATE_LIMITED));

        gemini.generateContent(REQ);
        gemini.generateContent(REQ);
        assertEquals(1, server.requestsFor("a").size(), "cooling key not used");

        clock.advance(Duration.ofSeconds(38));
        gemini.generateContent(REQ);
        gemini.generateContent(REQ);
        assertEquals(2, server.requestsFor("a").size(), "key back after its cool-down");
        assertEquals(List.of(KeyState.COOLING, KeyState.AVAILABLE), events.stream().map(KeyStateChange::to).toList());
        assertTrue(sleeper.sleeps().isEmpty(), "rotation happens immediately");
    }

    @Test
    void perDayQuotaCoolsUntilPacificMidnight() {
        server.always("a", FakeResponse.error(429, GeminiBodies.QUOTA_PER_DAY));
        ApiKeyPool pool = pool("a", "b").build();
        client(pool).generateContent(REQ);
        assertEquals(Instant.parse("2026-03-11T07:00:00Z"), pool.stats("key-1").blockedUntil());
    }

    @Test
    void bare429CoolsBrieflyWithBackoff() {
        server.always("a", FakeResponse.error(429, GeminiBodies.BARE_429));
        ApiKeyPool pool = pool("a", "b").build();
        GeminiKeyRotatingClient gemini = client(pool);
        Instant t0 = clock.instant();
        gemini.generateContent(REQ);
        assertEquals(t0.plusSeconds(1), pool.stats("key-1").blockedUntil());
        clock.advance(Duration.ofSeconds(1));
        gemini.generateContent(REQ); // round robin: b
        gemini.generateContent(REQ); // a again -> 429, now 2 s
        assertEquals(clock.instant().plusSeconds(2), pool.stats("key-1").blockedUntil());
    }

    @Test
    void serverErrorsAreRetriedWithoutPenalty() {
        server.enqueue("a", FakeResponse.error(500, GeminiBodies.INTERNAL), FakeResponse.error(503, GeminiBodies.OVERLOADED));
        ApiKeyPool pool = pool("a").build();
        GeminiKeyRotatingClient gemini = client(pool);

        assertEquals("Hello from the fake.", gemini.generateContent(REQ).text());
        assertEquals(3, server.requestsFor("a").size());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofSeconds(4)), sleeper.sleeps(),
                "500 -> server backoff #1, 503 -> overloaded backoff #2");
        KeyStats a = pool.stats("key-1");
        assertEquals(KeyState.AVAILABLE, a.state());
        assertEquals(1, a.successes());
        assertEquals(2, a.failures());
        assertTrue(events.isEmpty(), "no state change");
    }

    @Test
    void transientRetriesAreBounded() {
        server.always("a", FakeResponse.error(503, GeminiBodies.OVERLOADED));
        ApiKeyPool pool = pool("a").build();
        GeminiApiException e = assertThrows(GeminiApiException.class, () -> client(pool).generateContent(REQ));
        assertEquals(503, e.httpStatus());
        assertEquals(3, server.requests().size(), "1 call + 2 retries");
        assertEquals(KeyState.AVAILABLE, pool.stats("key-1").state());
    }

    @Test
    void timeoutIsRetried() {
        server.enqueue("a", FakeResponse.ok(GeminiBodies.OK).withDelay(Duration.ofMillis(1500)));
        ApiKeyPool pool = pool("a").build();
        GeminiClient fast = GeminiClient.builder().baseUrl(server.baseUrl()).requestTimeout(Duration.ofMillis(200))
                .build();
        assertEquals("Hello from the fake.", client(pool, fast).generateContent(REQ).text());
        assertEquals(1L, pool.stats("key-1").failuresByClass().get(ErrorClass.TIMEOUT));
        assertEquals(KeyState.AVAILABLE, pool.stats("key-1").state());
    }

    @Test
    void requestErrorsFailImmediatelyWithoutTouchingOtherKeys() {
        for (String body : List.of(GeminiBodies.BAD_REQUEST, GeminiBodies.MODEL_NOT_FOUND,
                GeminiBodies.LOCATION_NOT_SUPPORTED, GeminiBodies.MISSING_KEY)) {
            server.close();
            server = FakeGeminiServer.start();
            int status = body.contains("\"code\":404") ? 404 : body.contains("\"code\":403") ? 403 : 400;
            server.defaultResponse(FakeResponse.error(status, body));
            ApiKeyPool pool = pool("a", "b", "c").build();
            GeminiApiException e = assertThrows(GeminiApiException.class, () -> client(pool).generateContent(REQ));
            assertEquals(status, e.httpStatus());
            assertEquals(1, server.requests().size(), body);
            assertTrue(sleeper.sleeps().isEmpty());
            pool.snapshot().forEach(s -> assertEquals(KeyState.AVAILABLE, s.state()));
        }
    }

    @Test
    void contentProblemsCountAsKeySuccessAndAreNotRetried() {
        server.enqueue("a", FakeResponse.ok(GeminiBodies.BLOCKED_PROMPT));
        ApiKeyPool pool = pool("a", "b").build();
        assertThrows(ContentBlockedException.class, () -> client(pool).generateContent(REQ));
        assertEquals(1, server.requests().size());
        KeyStats a = pool.stats("key-1");
        assertEquals(1, a.successes());
        assertEquals(9, a.promptTokens());
    }

    @Test
    void modelAccessDeniedCoolsLongAndRotates() {
        server.always("a", FakeResponse.error(403, GeminiBodies.MODEL_PERMISSION_DENIED));
        ApiKeyPool pool = pool("a", "b").build();
        client(pool).generateContent(REQ);
        assertEquals(clock.instant().plus(Duration.ofHours(1)), pool.stats("key-1").blockedUntil());
    }

    @Test
    void serviceDisabledBlocksTheWholeProject() {
        server.always("a1", FakeResponse.error(403, GeminiBodies.SERVICE_DISABLED));
        ApiKeyPool pool = pool().addKey("a1", "p").addKey("a2", "p").addKey("b").build();
        client(pool).generateContent(REQ);
        assertEquals(KeyState.BLOCKED, pool.stats("key-2").state());
        assertTrue(server.requestsFor("a2").isEmpty());
    }

    @Test
    void projectQuotaCoolsItsKeysTogether() {
        server.enqueue("a1", FakeResponse.error(429, GeminiBodies.RATE_LIMIT_PER_MINUTE));
        ApiKeyPool pool = pool().addKey("a1", "proj-a").addKey("a2", "proj-a").addKey("b1", "proj-b").build();
        GeminiKeyRotatingClient gemini = client(pool);
        for (int i = 0; i < 5; i++) {
            gemini.generateContent(REQ);
        }
        assertTrue(server.requestsFor("a2").isEmpty(), "a2 shares a1's quota and was never tried");
        assertEquals(5, server.requestsFor("b1").size());
        assertEquals(KeyState.COOLING, pool.stats("key-2").state());
        assertEquals(pool.stats("key-1").blockedUntil(), pool.stats("key-2").blockedUntil());
        assertEquals(2, events.stream().filter(e -> e.to() == KeyState.COOLING).count());
    }

    @Test
    void allKeysCoolingWaitsWithinBoundOrThrowsWithEarliestInstant() {
        server.enqueue("a", FakeResponse.error(429, GeminiBodies.perMinute("10s")));
        server.enqueue("b", FakeResponse.error(429, GeminiBodies.perMinute("30s")));
        ApiKeyPool waiting = pool("a", "b").maxWait(Duration.ofSeconds(15)).build();
        Instant t0 = clock.instant();
        assertEquals("Hello from the fake.", client(waiting).generateContent(REQ).text());
        assertEquals(List.of(Duration.ofSeconds(10)), sleeper.sleeps(), "slept until a's cool-down ended");
        assertEquals(t0.plusSeconds(10), clock.instant());

        server.enqueue("a", FakeResponse.error(429, GeminiBodies.perMinute("40s")));
        NoKeyAvailableException e = assertThrows(NoKeyAvailableException.class,
                () -> client(waiting).generateContent(REQ));
        assertEquals(t0.plusSeconds(30), e.earliestRetryAt().orElseThrow(), "b's cool-down ends first");
        assertInstanceOf(GeminiApiException.class, e.getCause());
    }

    @Test
    void rotationIsBoundedByMaxAttempts() {
        server.defaultResponse(FakeResponse.error(400, GeminiBodies.API_KEY_INVALID));
        ApiKeyPool pool = pool("a", "b", "c").build();
        GeminiKeyRotatingClient gemini = GeminiKeyRotatingClient.builder(
                GeminiClient.builder().baseUrl(server.baseUrl()).build(), pool).maxAttempts(2).sleeper(sleeper).build();
        GeminiApiException e = assertThrows(GeminiApiException.class, () -> gemini.generateContent(REQ));
        assertEquals("API_KEY_INVALID", e.error().reason());
        assertEquals(2, server.requests().size());
        assertTrue(server.requestsFor("c").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> GeminiKeyRotatingClient.builder(
                GeminiClient.builder().build(), pool).maxAttempts(0));
    }

    @Test
    void streamingRotatesBeforeTheFirstChunk() {
        server.always("bad", FakeResponse.error(400, GeminiBodies.API_KEY_INVALID));
        server.always("good", FakeResponse.sse(true, GeminiBodies.SSE_CHUNK_1, GeminiBodies.SSE_CHUNK_2));
        ApiKeyPool pool = pool("bad", "good").build();
        List<String> chunks = new ArrayList<>();
        GenerateContentResponse all = client(pool).streamGenerateContent(REQ, c -> chunks.add(c.text()));
        assertEquals(2, chunks.size());
        assertTrue(all.text().endsWith("**Italian:** Ciao"));
        KeyStats good = pool.stats("key-2");
        assertEquals(5, good.promptTokens());
        assertEquals(44 + 186, good.outputTokens());
        assertEquals(KeyState.BLOCKED, pool.stats("key-1").state());
    }

    @Test
    void fiftyConcurrentCallsOverThreeKeysWithOneRateLimitedAndOneInvalid() throws Exception {
        server.latency(Duration.ofMillis(5));
        server.always("invalid", FakeResponse.error(400, GeminiBodies.API_KEY_INVALID));
        server.enqueue("limited", FakeResponse.error(429, GeminiBodies.RATE_LIMIT_PER_MINUTE));
        ApiKeyPool pool = pool("invalid", "limited", "valid").build();
        AtomicLong grantedToInvalidAtBlock = new AtomicLong(-1);
        AtomicLong grantedToLimitedAtCool = new AtomicLong(-1);
        pool.addListener(ev -> {
            // No lease can be granted to a key once it is blocked/cooling, so requests + inFlight is final here.
            KeyStats s = pool.stats(ev.keyId());
            if (ev.to() == KeyState.BLOCKED) {
                grantedToInvalidAtBlock.set(s.requests() + s.inFlight());
            } else if (ev.to() == KeyState.COOLING) {
                grantedToLimitedAtCool.set(s.requests() + s.inFlight());
            }
        });
        GeminiKeyRotatingClient gemini = client(pool);

        ExecutorService executor = Executors.newFixedThreadPool(50);
        try {
            for (int wave = 0; wave < 2; wave++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    results.add(executor.submit(() -> {
                        go.await();
                        return gemini.generateContent(REQ).text();
                    }));
                }
                go.countDown();
                for (Future<String> f : results) {
                    assertEquals("Hello from the fake.", f.get(15, TimeUnit.SECONDS));
                }
            }
        } finally {
            executor.shutdownNow();
        }

        KeyStats invalid = pool.stats("key-1");
        KeyStats limited = pool.stats("key-2");
        KeyStats valid = pool.stats("key-3");
        assertEquals(KeyState.BLOCKED, invalid.state());
        assertEquals(KeyState.COOLING, limited.state());
        assertEquals(grantedToInvalidAtBlock.get(), invalid.requests(), "no lease for the invalid key after its block");
        assertEquals(grantedToInvalidAtBlock.get(), server.requestsFor("invalid").size());
        assertEquals(grantedToLimitedAtCool.get(), limited.requests(), "no lease for the limited key while cooling");
        assertEquals(limited.requests(), server.requestsFor("limited").size());
        assertEquals(100, invalid.successes() + limited.successes() + valid.successes());
        long total = pool.snapshot().stream().mapToLong(KeyStats::requests).sum();
        assertEquals(server.requests().size(), total);
        for (KeyStats s : pool.snapshot()) {
            assertEquals(s.requests(), s.successes() + s.failures());
            assertEquals(0, s.inFlight());
        }
        assertEquals(0, invalid.successes());
        assertSame(null, invalid.blockedUntil());
    }
}
