package dev.realtime.core.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies JWTs with nimbus-jose-jwt: HS256 with a shared secret, or RS256/ES256 with keys from a JWKS (a file,
 * a JSON string, or a URL fetched and cached). Only the algorithms of the configured key type are accepted, so
 * {@code alg: none} and HS/RS confusion are refused. Checks the signature, {@code exp} and {@code nbf} (with a
 * small clock skew), and {@code iss}/{@code aud} when configured. {@code sub} becomes the user id; roles come
 * from a claim ({@code roles} by default, a string or a list).
 *
 * <pre>{@code
 * Authenticator auth = JwtAuthenticator.builder().hmacSecret(secret).issuer("https://id.example").build();
 * }</pre>
 *
 * <p>Thread-safe and immutable once built.
 *
 * @since 0.1
 */
public final class JwtAuthenticator implements Authenticator {
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String rolesClaim;
    /** Whether keys are fetched from a URL (then the handshake never verifies: it could wait for the fetch). */
    private final boolean remoteKeys;

    private JwtAuthenticator(Builder b) {
        this.rolesClaim = b.rolesClaim;
        this.remoteKeys = b.remoteKeys;
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(b.algorithms, b.keys));
        Clock clock = b.clock;
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (b.issuer != null) {
            exact.issuer(b.issuer);
        }
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                b.audience == null ? null : new HashSet<>(List.of(b.audience)), exact.build(),
                new HashSet<>(List.of("sub", "exp")), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        verifier.setMaxClockSkew((int) b.clockSkew.toSeconds());
        p.setJWTClaimsSetVerifier(verifier);
        this.processor = p;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Verifies at once with local keys (HMAC secret, JWKS JSON or file); empty with a JWKS URL. */
    @Override
    public java.util.Optional<Principal> authenticateLocally(String token) {
        return remoteKeys ? java.util.Optional.empty() : java.util.Optional.of(authenticate(token));
    }

    @Override
    public Principal authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("missing token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException("token too long");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new AuthenticationException("malformed token");
        } catch (BadJWTException e) {
            throw new AuthenticationException("invalid token: " + describe(e.getMessage()));
        } catch (BadJOSEException e) {
            throw new AuthenticationException("invalid token: " + describe(e.getMessage()));
        } catch (JOSEException e) {
            throw new AuthenticationException("token could not be verified", e);
        }
        Set<String> roles = new LinkedHashSet<>();
        Object r = claims.getClaim(rolesClaim);
        if (r instanceof String s) {
            for (String part : s.split("[ ,]+")) {
                if (!part.isBlank()) {
                    roles.add(part);
                }
            }
        } else if (r instanceof Collection<?> c) {
            c.forEach(x -> roles.add(String.valueOf(x)));
        }
        Date exp = claims.getExpirationTime();
        return new Principal(claims.getSubject(), roles, exp == null ? null : exp.toInstant(), claims.getClaims());
    }

    private static String describe(String nimbusMessage) {
        if (nimbusMessage == null) {
            return "rejected";
        }
        String m = nimbusMessage.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("expired")) {
            return "expired";
        }
        if (m.contains("before use time") || m.contains("nbf")) {
            return "not yet valid";
        }
        if (m.contains("missing")) {
            return "missing required claims";
        }
        if (m.contains("audience") || m.contains("aud claim")) {
            return "wrong audience";
        }
        if (m.contains("iss claim") || m.contains("issuer")) {
            return "wrong issuer";
        }
        if (m.contains("signature") || m.contains("no matching key") || m.contains("key")) {
            return "bad signature";
        }
        if (m.contains("not allowed") || m.contains("algorithm") || m.contains("unsecured")) {
            return "algorithm not allowed";
        }
        if (m.contains("missing")) {
            return "missing required claims";
        }
        return "rejected";
    }

    /**
     * Configures a {@link JwtAuthenticator}: exactly one key source (HMAC secret or JWKS). Not thread-safe.
     */
    public static final class Builder {
        private JWKSource<SecurityContext> keys;
        private boolean remoteKeys;
        private Set<JWSAlgorithm> algorithms;
        private String issuer;
        private String audience;
        private Duration clockSkew = Duration.ofSeconds(30);
        private String rolesClaim = "roles";
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** HS256 with a shared secret of at least 32 bytes. */
        public Builder hmacSecret(byte[] secret) {
            requireNoKeys();
            if (secret.length < 32) {
                throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes (256 bits)");
            }
            this.keys = new ImmutableSecret<>(secret.clone());
            this.algorithms = Set.of(JWSAlgorithm.HS256);
            return this;
        }

        /** HS256 with the UTF-8 bytes of {@code secret}. */
        public Builder hmacSecret(String secret) {
            return hmacSecret(secret.getBytes(StandardCharsets.UTF_8));
        }

        /** RS256/ES256 keys from a JWKS JSON document. */
        public Builder jwks(String jwksJson) {
            requireNoKeys();
            try {
                this.keys = new ImmutableJWKSet<>(JWKSet.parse(jwksJson));
            } catch (ParseException e) {
                throw new IllegalArgumentException("not a JWKS document: " + e.getMessage(), e);
            }
            this.algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
            return this;
        }

        /** RS256/ES256 keys from a JWKS file. */
        public Builder jwksFile(Path file) {
            try {
                return jwks(Files.readString(file));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read JWKS file " + file + ": " + e.getMessage(), e);
            }
        }

        /** RS256/ES256 keys fetched from a JWKS URL, cached (5 min) and refreshed by nimbus. */
        public Builder jwksUrl(URI url) {
            requireNoKeys();
            try {
                this.keys = JWKSourceBuilder.<SecurityContext>create(url.toURL()).retrying(true).build();
                this.remoteKeys = true;
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad JWKS URL " + url, e);
            }
            this.algorithms = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
            return this;
        }

        /** Narrows the accepted algorithms (must be within the key type's). */
        public Builder algorithms(List<String> names) {
            if (algorithms == null) {
                throw new IllegalStateException("set the key source first");
            }
            Set<JWSAlgorithm> wanted = new HashSet<>();
            for (String n : names) {
                JWSAlgorithm a = JWSAlgorithm.parse(n);
                if (!algorithms.contains(a)) {
                    throw new IllegalArgumentException(n + " is not allowed with this key type");
                }
                wanted.add(a);
            }
            this.algorithms = Set.copyOf(wanted);
            return this;
        }

        /** Required {@code iss}. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** Required {@code aud} value. */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** Tolerance for {@code exp}/{@code nbf} (default 30 s, at most 5 min). */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clock skew must be 0..5 min: " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /** The claim holding roles (default {@code roles}). */
        public Builder rolesClaim(String claim) {
            this.rolesClaim = Objects.requireNonNull(claim, "claim");
            return this;
        }

        /** Time source for expiry checks (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public JwtAuthenticator build() {
            if (keys == null) {
                throw new IllegalStateException("no key source: call hmacSecret, jwks, jwksFile or jwksUrl");
            }
            return new JwtAuthenticator(this);
        }

        private void requireNoKeys() {
            if (keys != null) {
                throw new IllegalStateException("a key source was already set");
            }
        }
    }

}
