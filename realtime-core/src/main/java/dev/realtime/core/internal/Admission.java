package dev.realtime.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.realtime.core.Handshake;
import dev.realtime.core.security.Authenticator;
import dev.realtime.core.security.Limits;
import dev.realtime.core.security.Principal;
import dev.realtime.core.security.TokenBucket;
import dev.realtime.core.security.TrustedProxies;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection admission, decided once per connection at the upgrade: the Origin allow-list (403), handshakes per
 * second and open connections (429). Limits count the client address as {@link TrustedProxies} resolves it, and a
 * handshake that carries a valid token counts against its user instead of its address (many users behind one
 * NAT or proxy do not starve each other; the per-user connection limit applies at authentication, which
 * {@link #authenticate} performs for a connection's first token and its refreshes).
 *
 * <p>Thread-safe: lock-free maps of counters and a bounded cache of token buckets.
 */
final class Admission {
    private final Limits limits;
    /** Allowed Origin values; null allows every origin. */
    private final Set<String> allowedOrigins;
    private final TrustedProxies proxies;
    private final Authenticator authenticator;
    private final Counters counters;
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final Cache<String, TokenBucket> handshakeBuckets;
    private final Clock clock;

    Admission(Limits limits, Set<String> allowedOrigins, TrustedProxies proxies, Authenticator authenticator,
              Counters counters, Clock clock) {
        this.limits = limits;
        this.allowedOrigins = allowedOrigins == null ? null : Set.copyOf(allowedOrigins);
        this.proxies = proxies == null ? TrustedProxies.none() : proxies;
        this.authenticator = authenticator;
        this.counters = counters;
        this.clock = clock;
        this.handshakeBuckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofSeconds(10))
                .maximumSize(100_000).build();
    }

    /** The client address of a handshake (behind trusted proxies: the forwarded one). */
    String clientAddress(Handshake h) {
        return proxies.clientAddress(h.remoteAddress(), h.header("Forwarded"), h.header("X-Forwarded-For"));
    }

    /** Whether the Origin header, when present, is allowed. */
    boolean originAllowed(Optional<String> origin) {
        return allowedOrigins == null || origin.isEmpty() || allowedOrigins.contains(origin.get());
    }

    /** The allow-list, or null when every origin is allowed. */
    Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** The origin allow-list check alone: {status, code, message} of a refusal (403, counted), or null. */
    String[] admitOrigin(Handshake handshake) {
        Optional<String> origin = handshake.header("Origin");
        if (!originAllowed(origin)) {
            counters.handshakesRejected.increment();
            return new String[] {"403", "forbidden", "origin not allowed: " + origin.get()};
        }
        return null;
    }

    /** Returns {status, code, message} of a refusal, or null to accept. */
    String[] admit(Handshake handshake) {
        String[] refused = admitOrigin(handshake);
        if (refused != null) {
            return refused;
        }
        Optional<String> user = tokenUser(handshake);
        String key = user.map(u -> "u:" + u).orElseGet(() -> "a:" + clientAddress(handshake));
        TokenBucket bucket = handshakeBuckets.get(key, k ->
                new TokenBucket(clock, limits.handshakesPerIpPerSecond(), limits.handshakesPerIpPerSecond()));
        if (!bucket.tryTake()) {
            counters.handshakesRejected.increment();
            return new String[] {"429", "rate_limited", user.isPresent() ? "too many handshakes for this user"
                    : "too many handshakes from this address"};
        }
        if (user.isEmpty()) {
            AtomicInteger open = perIp.get(clientAddress(handshake));
            if (open != null && open.get() >= limits.connectionsPerIp()) {
                counters.handshakesRejected.increment();
                return new String[] {"429", "rate_limited", "too many connections from this address"};
            }
        } else {
            AtomicInteger open = perUser.get(user.get());
            if (open != null && open.get() >= limits.connectionsPerUser()) {
                counters.handshakesRejected.increment();
                return new String[] {"429", "rate_limited", "too many connections for this user"};
            }
        }
        return null;
    }

    /** The user of a valid token in the handshake; empty without authenticator, token, or when it is invalid. */
    private Optional<String> tokenUser(Handshake handshake) {
        if (authenticator == null) {
            return Optional.empty();
        }
        Optional<String> token = Tokens.fromHandshake(handshake);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            // local keys only: this runs on the adapter's request thread, where a JWKS fetch must not happen
            return authenticator.authenticateLocally(token.get()).map(Principal::userId);
        } catch (RuntimeException e) {
            return Optional.empty(); // the protocol answers the bad token with its own error
        }
    }

    void connected(String ip) {
        perIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
    }

    void disconnected(String ip, Principal principal) {
        decrement(perIp, ip);
        if (principal != null) {
            decrement(perUser, principal.userId());
        }
    }

    /** Counts a new authenticated connection of a user; false (not counted) when over the per-user limit. */
    boolean userConnected(String userId) {
        AtomicInteger n = perUser.computeIfAbsent(userId, k -> new AtomicInteger());
        if (n.incrementAndGet() > limits.connectionsPerUser()) {
            decrement(perUser, userId);
            return false;
        }
        return true;
    }

    /**
     * Authenticates connection {@code c} with a token (first time or refresh); a refresh must be for the same user,
     * and a first authentication counts against the user's connection limit. Sets the connection's principal (and,
     * the first time, its user id) under the connection's lock.
     *
     * @throws dev.realtime.core.RealtimeException unauthorized, forbidden (another user) or rate_limited (too
     *     many connections for the user)
     */
    Principal authenticate(RealConnection c, String token) {
        Principal p;
        try {
            p = authenticator.authenticate(token);
        } catch (dev.realtime.core.RealtimeException e) {
            counters.authFailures.increment();
            throw e;
        }
        synchronized (c) {
            Principal current = c.principal;
            if (current != null) {
                if (!current.userId().equals(p.userId())) {
                    throw new dev.realtime.core.RealtimeException(dev.realtime.core.ErrorCode.FORBIDDEN,
                            "this connection belongs to another user");
                }
                c.principal = p;
                return p;
            }
            if (!userConnected(p.userId())) {
                throw new dev.realtime.core.RealtimeException(dev.realtime.core.ErrorCode.RATE_LIMITED,
                        "too many connections for this user");
            }
            c.principal = p;
            c.userId = p.userId();
            return p;
        }
    }

    private static void decrement(ConcurrentHashMap<String, AtomicInteger> map, String key) {
        map.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
