package dev.realtime.core.llm;

import dev.realtime.core.testing.FakeSleeper;
import dev.realtime.core.testing.FakeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyPoolTest {
    private final FakeClock clock = FakeClock.atDefault();
    private final FakeSleeper sleeper = new FakeSleeper(clock);
    private final List<KeyStateChange> events = new CopyOnWriteArrayList<>();

    private ApiKeyPool.Builder pool() {
        return ApiKeyPool.builder().clock(clock).sleeper(sleeper).retryDelayJitter(Duration.ZERO)
                .maxWait(Duration.ZERO).listener(events::add);
    }

    private static Classification cls(ErrorClass c) {
        return Classification.of(c, c.name());
    }

    private static void fail(ApiKeyPool.Lease lease, Classification c) {
        lease.failed(c);
    }

    @Test
    void keysFromEnvironmentInOrderAndDeduplicated() {
        Map<String, String> env = Map.of(
                "GEMINI_API_KEYS", "k1, k2;k3",
                "GEMINI_API_KEY", "k2",
                "GEMINI_API_KEY_10", "k10",
                "GEMINI_API_KEY_2", "k5",
                "GEMINI_API_KEY_1", "k4",
                "GEMINI_API_KEY_X", "ignored",
                "OTHER", "x",
                "GEMINI_API_KEY_3", " ");
        assertEquals(List.of("k1", "k2", "k3", "k4", "k5", "k10"), ApiKeyPool.keysFromEnvironment(env));
        ApiKeyPool p = ApiKeyPool.builder().keysFromEnvironment(env).addKey("k1", "proj").build();
        assertEquals(6, p.size());
        assertNull(p.stats("key-1").project(), "a duplicate keeps its first configuration");
        assertThrows(IllegalStateException.class, () -> ApiKeyPool.builder().keysFromEnvironment(Map.of()).build());
        assertThrows(IllegalArgumentException.class, () -> ApiKeyPool.builder().addKey(" "));
        assertThrows(IllegalArgumentException.class, () -> ApiKeyPool.builder().maxWait(Duration.ofSeconds(-1)));
    }

    @Test
    void keysAreMasked() {
        String key = "AIzaSyD-abcdefghijklmnopqrstuvwxyz12345";
        ApiKeyPool p = ApiKeyPool.builder().addKey(key).build();
        KeyStats s = p.snapshot().get(0);
        assertEquals("AIza****2345", s.maskedKey());
        assertFalse(s.toString().contains(key));
        assertEquals("****", ApiKeyPool.mask("abc"));
    }

    @Test
    void roundRobinAndLeastUsed() {
        ApiKeyPool rr = pool().addKey("a").addKey("b").addKey("c").build();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ApiKeyPool.Lease l = rr.acquire();
            order.add(l.key());
            l.succeeded(null);
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), order);

        ApiKeyPool lu = pool().addKey("a").addKey("b").addKey("c").strategy(KeySelectionStrategy.LEAST_USED).build();
        ApiKeyPool.Lease first = lu.acquire();   // a, in flight
        ApiKeyPool.Lease second = lu.acquire();  // b, in flight
        assertEquals("a", first.key());
        assertEquals("b", second.key());
        second.succeeded(null);
        ApiKeyPool.Lease third = lu.acquire();   // c: no call in flight, none started
        assertEquals("c", third.key());
        third.succeeded(null);
        assertEquals("b", lu.acquire().key(), "b and c idle with one call each; b comes first");
        first.close();
    }

    @Test
    void invalidKeyIsBlockedAndSkipped() {
        ApiKeyPool p = pool().addKey("a").addKey("b").build();
        fail(p.acquire(), cls(ErrorClass.KEY_INVALID));
        for (int i = 0; i < 5; i++) {
            ApiKeyPool.Lease l = p.acquire();
            assertEquals("b", l.key());
            l.succeeded(null);
        }
        KeyStats a = p.stats("key-1");
        assertEquals(KeyState.BLOCKED, a.state());
        assertEquals("KEY_INVALID", a.blockReason());
        assertNull(a.blockedUntil());
        assertEquals(1, events.size());
        assertEquals(KeyState.BLOCKED, events.get(0).to());

        fail(p.acquire(), cls(ErrorClass.KEY_REVOKED));
        NoKeyAvailableException e = assertThrows(NoKeyAvailableException.class, p::acquire);
        assertTrue(e.earliestRetryAt().isEmpty(), "all blocked: no retry instant");

        p.unblock("key-1");
        assertEquals("a", p.acquire().key());
    }

    @Test
    void perMinuteQuotaCoolsUntilRetryDelayThenRecovers() {
        ApiKeyPool p = pool().addKey("a").addKey("b").build();
        Instant t0 = clock.instant();
        fail(p.acquire(), new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(38), "rpm"));
        KeyStats a = p.stats("key-1");
        assertEquals(KeyState.COOLING, a.state());
        assertEquals(t0.plusSeconds(38), a.blockedUntil());
        assertEquals("b", p.acquire().key());

        clock.advance(Duration.ofSeconds(37));
        assertEquals("b", p.acquire().key());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(KeyState.AVAILABLE, p.stats("key-1").state());
        assertEquals(List.of(KeyState.COOLING, KeyState.AVAILABLE), events.stream().map(KeyStateChange::to).toList());
        assertEquals(t0.plusSeconds(38), events.get(0).until());
    }

    @Test
    void jitterIsAddedToRetryDelay() {
        ApiKeyPool p = ApiKeyPool.builder().clock(clock).addKey("a").retryDelayJitter(Duration.ofSeconds(2)).build();
        Instant t0 = clock.instant();
        p.acquire().failed(new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(10), "rpm"));
        Instant until = p.stats("key-1").blockedUntil();
        assertFalse(until.isBefore(t0.plusSeconds(10)));
        assertFalse(until.isAfter(t0.plusSeconds(12)));
    }

    @Test
    void projectQuotaCoolsAllKeysOfTheProject() {
        ApiKeyPool p = pool().addKey("a1", "proj-a").addKey("a2", "proj-a").addKey("b1", "proj-b").addKey("solo")
                .build();
        fail(p.acquire(), new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(20), "rpm"));
        List<KeyStats> s = p.snapshot();
        assertEquals(KeyState.COOLING, s.get(0).state());
        assertEquals(KeyState.COOLING, s.get(1).state());
        assertEquals(KeyState.AVAILABLE, s.get(2).state());
        assertEquals(KeyState.AVAILABLE, s.get(3).state());
        for (int i = 0; i < 4; i++) {
            ApiKeyPool.Lease l = p.acquire();
            assertFalse(l.key().startsWith("a"), l.key());
            l.succeeded(null);
        }
    }

    @Test
    void dailyQuotaCoolsUntilMidnightPacific() {
        ApiKeyPool p = pool().addKey("a", "P").addKey("b", "P").addKey("c").build();
        fail(p.acquire(), cls(ErrorClass.DAILY_QUOTA));
        Instant expected = ZonedDateTime.of(2026, 3, 11, 0, 0, 0, 0, ZoneId.of("America/Los_Angeles")).toInstant();
        assertEquals(expected, p.stats("key-1").blockedUntil());
        assertEquals(expected, p.stats("key-2").blockedUntil());
        assertEquals(KeyState.AVAILABLE, p.stats("key-3").state());
        clock.set(expected);
        assertEquals(KeyState.AVAILABLE, p.stats("key-1").state());
    }

    @Test
    void dailyQuotaHonoursRetryDelayOnceThenIsSticky() {
        ApiKeyPool p = pool().addKey("a").build();
        Instant t0 = clock.instant();
        p.acquire().failed(new Classification(ErrorClass.DAILY_QUOTA, Duration.ofSeconds(39), "rpd"));
        assertEquals(t0.plusSeconds(39), p.stats("key-1").blockedUntil());
        clock.advance(Duration.ofSeconds(39));
        p.acquire().failed(new Classification(ErrorClass.DAILY_QUOTA, Duration.ofSeconds(39), "rpd"));
        assertEquals(Instant.parse("2026-03-11T07:00:00Z"), p.stats("key-1").blockedUntil(), "midnight PDT");
    }

    @Test
    void bareRateLimitBacksOffExponentiallyAndSuccessResets() {
        ApiKeyPool p = pool().addKey("a").build();
        List<Duration> cooldowns = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Instant now = clock.instant();
            p.acquire().failed(cls(ErrorClass.RATE_LIMITED_UNSPECIFIED));
            Instant until = p.stats("key-1").blockedUntil();
            cooldowns.add(Duration.between(now, until));
            clock.set(until);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L),
                cooldowns.stream().map(Duration::toSeconds).toList());
        assertEquals(8, p.stats("key-1").consecutiveFailures());
        p.acquire().succeeded(null);
        assertEquals(0, p.stats("key-1").consecutiveFailures());
        Instant now = clock.instant();
        p.acquire().failed(cls(ErrorClass.RATE_LIMITED_UNSPECIFIED));
        assertEquals(now.plusSeconds(1), p.stats("key-1").blockedUntil(), "backoff shrinks after a success");
    }

    @Test
    void transientErrorsDoNotPenalise() {
        ApiKeyPool p = pool().addKey("a").build();
        for (ErrorClass c : List.of(ErrorClass.SERVER_ERROR, ErrorClass.OVERLOADED, ErrorClass.TIMEOUT,
                ErrorClass.NETWORK, ErrorClass.BAD_REQUEST, ErrorClass.NOT_FOUND)) {
            p.acquire().failed(cls(c));
        }
        KeyStats s = p.stats("key-1");
        assertEquals(KeyState.AVAILABLE, s.state());
        assertEquals(6, s.failures());
        assertEquals(1L, s.failuresByClass().get(ErrorClass.OVERLOADED));
        assertTrue(events.isEmpty());
    }

    @Test
    void cooldownsOnlyExtend() {
        ApiKeyPool p = pool().addKey("a").addKey("b").strategy(KeySelectionStrategy.LEAST_USED).build();
        ApiKeyPool.Lease l1 = p.acquire();
        ApiKeyPool.Lease l2 = p.acquire();
        ApiKeyPool.Lease l3 = p.acquire(); // both have one call in flight and one started: a wins by order
        assertEquals("a", l3.key());
        l1.failed(new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(60), "rpm"));
        l3.failed(new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(10), "rpm"));
        assertEquals(clock.instant().plusSeconds(60), p.stats("key-1").blockedUntil());
        l2.succeeded(null);
    }

    @Test
    void waitsForTheEarliestCoolingKeyWithinTheBound() {
        ApiKeyPool p = pool().addKey("a").addKey("b").maxWait(Duration.ofSeconds(30)).build();
        Instant t0 = clock.instant();
        p.acquire().failed(new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(20), "rpm"));
        p.acquire().failed(new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(12), "rpm"));
        ApiKeyPool.Lease l = p.acquire();
        assertEquals("b", l.key());
        assertEquals(List.of(Duration.ofSeconds(12)), sleeper.sleeps());
        assertEquals(t0.plusSeconds(12), clock.instant());

        assertEquals("b", p.acquire(Duration.ZERO).key(), "a still cooling; b is available even with a call in flight");
        l.failed(new Classification(ErrorClass.RATE_LIMITED, Duration.ofSeconds(600), "rpm"));
        NoKeyAvailableException e = assertThrows(NoKeyAvailableException.class, () -> p.acquire(Duration.ofSeconds(5)));
        assertEquals(t0.plusSeconds(20), e.earliestRetryAt().orElseThrow());
        assertEquals(dev.realtime.core.ErrorCode.RATE_LIMITED, e.code());
    }

    @Test
    void statisticsAddUp() {
        ApiKeyPool p = pool().addKey("a").build();
        p.acquire().succeeded(new UsageMetadata(10, 20, 5, 35));
        p.acquire().succeeded(new UsageMetadata(1, 2, 0, 3));
        p.acquire().failed(cls(ErrorClass.SERVER_ERROR));
        ApiKeyPool.Lease open = p.acquire();
        KeyStats s = p.stats("key-1");
        assertEquals(3, s.requests());
        assertEquals(1, s.inFlight());
        assertEquals(2, s.successes());
        assertEquals(1, s.failures());
        assertEquals(s.requests(), s.successes() + s.failures());
        assertEquals(11, s.promptTokens());
        assertEquals(27, s.outputTokens());
        assertFalse(s.totalLatency().isNegative());
        assertEquals(s.totalLatency().dividedBy(3), s.averageLatency());
        open.close();
        open.close();
        assertEquals(0, p.stats("key-1").inFlight());
        ApiKeyPool.Lease once = p.acquire();
        once.succeeded(null);
        assertThrows(IllegalStateException.class, () -> once.failed(cls(ErrorClass.SERVER_ERROR)));
    }

    @Test
    void listenerExceptionsAreContained() {
        ApiKeyPool p = pool().addKey("a").addKey("b").build();
        p.addListener(ev -> {
            throw new IllegalStateException("listener bug");
        });
        p.acquire().failed(cls(ErrorClass.KEY_INVALID));
        assertEquals("b", p.acquire().key());
        assertEquals(1, events.size());
    }

    @Test
    void concurrentLeasesKeepCountsConsistent() throws Exception {
        ApiKeyPool p = ApiKeyPool.builder().addKey("a").addKey("b").addKey("c").maxWait(Duration.ZERO)
                .strategy(KeySelectionStrategy.LEAST_USED).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        ApiKeyPool.Lease l = p.acquire();
                        if (i % 10 == 0) {
                            l.failed(Classification.of(ErrorClass.SERVER_ERROR, "x"));
                        } else {
                            l.succeeded(new UsageMetadata(1, 1, 0, 2));
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long requests = 0;
        for (KeyStats s : p.snapshot()) {
            assertEquals(s.requests(), s.successes() + s.failures());
            assertEquals(0, s.inFlight());
            requests += s.requests();
        }
        assertEquals(16_000, requests);
    }
}
