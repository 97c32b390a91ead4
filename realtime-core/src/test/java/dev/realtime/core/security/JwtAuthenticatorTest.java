package dev.realtime.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
    private final FakeClock clock = new FakeClock();
    private final Instant now = clock.instant();
    private final JwtAuthenticator hs = JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).clock(clock)
            .clockSkew(Duration.ofSeconds(30)).build();

    @Test
    void validHs256TokenGivesPrincipalWithRoles() {
        Principal p = hs.authenticate(Jwts.user("u1", now, "admin", "teacher"));
        assertEquals("u1", p.userId());
        assertTrue(p.hasRole("admin"));
        assertEquals(now.plusSeconds(3600), p.expiresAt());
    }

    @Test
    void theHandshakeVerifiesLocallyOnlyAndNeverFetchesKeys() throws Exception {
        // local keys: verified at once, and a bad token is refused
        assertEquals("u1", hs.authenticateLocally(Jwts.user("u1", now)).orElseThrow().userId());
        assertThrows(AuthenticationException.class, () -> hs.authenticateLocally("forged.token.value"));
        // keys behind a URL (a port nobody listens on): no fetch on the handshake thread, just "not now"
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            int port = s.getLocalPort();
            s.close();
            JwtAuthenticator remote = JwtAuthenticator.builder()
                    .jwksUrl(java.net.URI.create("http://127.0.0.1:" + port + "/jwks.json")).build();
            assertTrue(remote.authenticateLocally(Jwts.user("u1", now)).isEmpty());
        }
    }

    @Test
    void rolesMayBeASpaceSeparatedString() {
        Principal p = hs.authenticate(Jwts.hs256(Jwts.claims("u", now).claim("roles", "a b").build()));
        assertTrue(p.hasRole("a") && p.hasRole("b"));
    }

    private void refused(JwtAuthenticator auth, String token, String reason) {
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> auth.authenticate(token));
        assertEquals(ErrorCode.UNAUTHORIZED, e.code());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void forgedExpiredEarlyAndNoneTokensAreRefused() {
        refused(hs, Jwts.hs256(Jwts.claims("u", now).build(),
                "another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8)), "bad signature");
        refused(hs, Jwts.hs256(Jwts.claims("u", now).expirationTime(Date.from(now.minusSeconds(60))).build()),
                "expired");
        refused(hs, Jwts.hs256(Jwts.claims("u", now).notBeforeTime(Date.from(now.plusSeconds(120))).build()),
                "not yet valid");
        refused(hs, Jwts.none(Jwts.claims("u", now).build()), "");
        refused(hs, "not.a.jwt", "malformed");
        refused(hs, "", "missing");
        refused(hs, Jwts.hs256(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("u").build()), "missing");
    }

    @Test
    void clockSkewIsTolerated() {
        String t = Jwts.hs256(Jwts.claims("u", now).expirationTime(Date.from(now.minusSeconds(10))).build());
        assertEquals("u", hs.authenticate(t).userId());
        clock.advance(Duration.ofSeconds(25));
        refused(hs, t, "expired");
    }

    @Test
    void issuerAndAudienceAreChecked() {
        JwtAuthenticator strict = JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).clock(clock)
                .issuer("https://id.example").audience("realtime").build();
        String ok = Jwts.hs256(Jwts.claims("u", now).issuer("https://id.example").audience("realtime").build());
        assertEquals("u", strict.authenticate(ok).userId());
        refused(strict, Jwts.hs256(Jwts.claims("u", now).issuer("https://id.example").audience("other").build()),
                "audience");
        refused(strict, Jwts.hs256(Jwts.claims("u", now).issuer("https://evil").audience("realtime").build()), "");
    }

    @Test
    void rs256WithJwksAndNoHsRsConfusion() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        JwtAuthenticator rs = JwtAuthenticator.builder().jwks(new JWKSet(key.toPublicJWK()).toString()).clock(clock)
                .build();
        assertEquals("u", rs.authenticate(Jwts.rs256(Jwts.claims("u", now).build(), key)).userId());
        // HS256 signed with the public key's bytes as the HMAC secret: the classic confusion attack
        byte[] publicBytes = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        refused(rs, Jwts.hs256(Jwts.claims("u", now).build(), publicBytes), "");
        refused(rs, Jwts.none(Jwts.claims("u", now).build()), "");
        refused(hs, Jwts.rs256(Jwts.claims("u", now).build(), key), "");
    }

    @Test
    void builderFailsFast() {
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.builder().hmacSecret("short"));
        assertThrows(IllegalStateException.class, () -> JwtAuthenticator.builder().build());
        assertThrows(IllegalStateException.class,
                () -> JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).hmacSecret(Jwts.SECRET));
        assertThrows(IllegalArgumentException.class,
                () -> JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).algorithms(List.of("RS256")));
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.builder().jwks("{nope"));
    }
}
