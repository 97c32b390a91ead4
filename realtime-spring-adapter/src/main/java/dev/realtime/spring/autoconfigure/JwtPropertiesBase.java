package dev.realtime.spring.autoconfigure;

import java.net.URI;
import java.time.Duration;

/**
 * The properties of {@link RealtimeProperties.Jwt} ({@code realtime.jwt.*}), declared here only to keep
 * {@code RealtimeProperties} short: the public nested type {@code RealtimeProperties.Jwt} is what Spring binds,
 * what the configuration metadata names and what applications use; it inherits every accessor from this class.
 * Not meant to be used on its own.
 *
 * <p>Mutable JavaBean for Spring's binder, like {@link RealtimeProperties}; not thread-safe, read once when the
 * hub is built.
 */
abstract class JwtPropertiesBase {


    /** Shared HS256 secret, at least 32 bytes of UTF-8. Mutually exclusive with {@code jwks-uri}. */
    private String hmacSecret;

    /** URL of a JWKS document with the RS256/ES256 verification keys (cached and refreshed). */
    private URI jwksUri;

    /** Required {@code iss} claim, when set. */
    private String issuer;

    /** Required {@code aud} value, when set. */
    private String audience;

    /** Tolerance for {@code exp} and {@code nbf} (at most 5 minutes). */
    private Duration clockSkew = Duration.ofSeconds(30);

    public String getHmacSecret() {
        return hmacSecret;
    }

    public void setHmacSecret(String hmacSecret) {
        this.hmacSecret = hmacSecret;
    }

    public URI getJwksUri() {
        return jwksUri;
    }

    public void setJwksUri(URI jwksUri) {
        this.jwksUri = jwksUri;
    }

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getAudience() {
        return audience;
    }

    public void setAudience(String audience) {
        this.audience = audience;
    }

    public Duration getClockSkew() {
        return clockSkew;
    }

    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }
}
