package dev.realtime.core;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a {@link PollingExchange}: status, content type (none for an empty 204/413), extra headers (CORS,
 * cache control) and body.
 *
 * @param status      HTTP status
 * @param contentType the {@code Content-Type}, or {@code null} for none
 * @param headers     extra response headers, in order; no null names or values
 * @param body        the body, possibly empty
 * @since 0.2
 */
public record PollingResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    public PollingResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599: " + status);
        }
        Objects.requireNonNull(headers, "headers");
        if (headers.size() <= 1) {
            headers = Map.copyOf(headers); // no order to keep: an immutable map is shared, not copied per response
        } else {
            headers.forEach((name, value) -> {
                Objects.requireNonNull(name, "header name");
                Objects.requireNonNull(value, "header value");
            });
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
        body = body == null ? new byte[0] : body;
    }

    /** A text response, UTF-8. */
    public static PollingResponse text(int status, String contentType, Map<String, String> headers, String body) {
        return new PollingResponse(status, contentType, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
