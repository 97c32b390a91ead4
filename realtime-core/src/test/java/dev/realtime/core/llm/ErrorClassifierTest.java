package dev.realtime.core.llm;

import dev.realtime.core.testing.GeminiBodies;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorClassifierTest {
    private final ErrorClassifier classifier = new ErrorClassifier();

    private Classification classify(int status, String body) {
        return classifier.classify(new GeminiApiException(GeminiError.parse(status, body), null));
    }

    @Test
    void keyProblemsAreBlocked() {
        assertEquals(ErrorClass.KEY_INVALID, classify(400, GeminiBodies.API_KEY_INVALID).errorClass());
        assertEquals(ErrorClass.KEY_INVALID, classify(400, GeminiBodies.API_KEY_EXPIRED).errorClass());
        assertEquals(ErrorClass.KEY_INVALID, classify(401, "{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}").errorClass());
        assertEquals(ErrorClass.KEY_REVOKED, classify(403, GeminiBodies.CONSUMER_SUSPENDED).errorClass());
        assertEquals(ErrorClass.KEY_REVOKED, classify(403, GeminiBodies.LEAKED).errorClass());
        assertEquals(ErrorClass.PROJECT_DISABLED, classify(403, GeminiBodies.SERVICE_DISABLED).errorClass());
        for (ErrorClass c : new ErrorClass[] {ErrorClass.KEY_INVALID, ErrorClass.KEY_REVOKED}) {
            assertEquals(ErrorClass.Penalty.BLOCK_KEY, c.penalty());
            assertEquals(ErrorClass.Action.ROTATE, c.action());
        }
        assertEquals(ErrorClass.Penalty.BLOCK_PROJECT, ErrorClass.PROJECT_DISABLED.penalty());
    }

    @Test
    void suspendedReasonDoesNotLeakTheKey() {
        Classification c = classify(403, GeminiBodies.CONSUMER_SUSPENDED);
        assertFalse(c.reason().contains("AIzaSyFAKE"), c.reason());
    }

    @Test
    void forbiddenVariants() {
        Classification missing = classify(403, GeminiBodies.MISSING_KEY);
        assertEquals(ErrorClass.MISSING_KEY, missing.errorClass());
        assertEquals(ErrorClass.Action.FAIL, missing.errorClass().action());
        Classification model = classify(403, GeminiBodies.MODEL_PERMISSION_DENIED);
        assertEquals(ErrorClass.MODEL_ACCESS_DENIED, model.errorClass());
        assertEquals(ErrorClass.Penalty.COOL_KEY_LONG, model.errorClass().penalty());
    }

    @Test
    void quotaErrorsAreDistinguishedByDetails() {
        Classification rpm = classify(429, GeminiBodies.RATE_LIMIT_PER_MINUTE);
        assertEquals(ErrorClass.RATE_LIMITED, rpm.errorClass());
        assertEquals(Duration.ofSeconds(38), rpm.retryDelay());

        Classification frac = classify(429, GeminiBodies.perMinute("45.837906927s"));
        assertEquals(Duration.ofSeconds(45, 837_906_927), frac.retryDelay());

        Classification fromMessage = classify(429, GeminiBodies.RATE_LIMIT_PER_MINUTE_NO_RETRY_INFO);
        assertEquals(ErrorClass.RATE_LIMITED, fromMessage.errorClass());
        assertEquals(Duration.ofSeconds(38, 922_534_355), fromMessage.retryDelay(), "falls back to 'Please retry in'");

        Classification rpd = classify(429, GeminiBodies.QUOTA_PER_DAY);
        assertEquals(ErrorClass.DAILY_QUOTA, rpd.errorClass());
        assertNull(rpd.retryDelay());
        assertEquals(ErrorClass.DAILY_QUOTA, classify(429, GeminiBodies.QUOTA_HELP_ONLY).errorClass());
        Classification mixed = classify(429, GeminiBodies.QUOTA_PER_DAY_WITH_RETRY);
        assertEquals(ErrorClass.DAILY_QUOTA, mixed.errorClass());
        assertEquals(Duration.ofSeconds(39), mixed.retryDelay());
        assertEquals(ErrorClass.DAILY_QUOTA, classify(429, GeminiBodies.RATE_LIMIT_PER_MINUTE
                .replace("limit: 15", "limit: 0").replace("PerMinute", "")).errorClass());

        Classification bare = classify(429, GeminiBodies.BARE_429);
        assertEquals(ErrorClass.RATE_LIMITED_UNSPECIFIED, bare.errorClass());
        assertEquals(ErrorClass.Penalty.COOL_KEY_BACKOFF, bare.errorClass().penalty());

        Classification header = classifier.classify(new GeminiApiException(GeminiError.parse(429,
                GeminiBodies.BARE_429), Duration.ofSeconds(7)));
        assertEquals(ErrorClass.RATE_LIMITED, header.errorClass());
        assertEquals(Duration.ofSeconds(7), header.retryDelay());
    }

    @Test
    void transientAndRequestErrors() {
        assertEquals(ErrorClass.SERVER_ERROR, classify(500, GeminiBodies.INTERNAL).errorClass());
        assertEquals(ErrorClass.OVERLOADED, classify(503, GeminiBodies.OVERLOADED).errorClass());
        assertEquals(ErrorClass.TIMEOUT, classify(504, GeminiBodies.DEADLINE_EXCEEDED).errorClass());
        assertEquals(ErrorClass.SERVER_ERROR, classify(502, "<html>Bad Gateway</html>").errorClass());
        for (ErrorClass c : new ErrorClass[] {ErrorClass.SERVER_ERROR, ErrorClass.OVERLOADED, ErrorClass.TIMEOUT}) {
            assertEquals(ErrorClass.Penalty.NONE, c.penalty());
            assertEquals(ErrorClass.Action.RETRY, c.action());
        }
        assertEquals(ErrorClass.NOT_FOUND, classify(404, GeminiBodies.MODEL_NOT_FOUND).errorClass());
        assertEquals(ErrorClass.BAD_REQUEST, classify(400, GeminiBodies.BAD_REQUEST).errorClass());
        assertEquals(ErrorClass.BAD_REQUEST, classify(400, GeminiBodies.CONTENTS_NOT_SPECIFIED).errorClass());
        assertEquals(ErrorClass.FAILED_PRECONDITION, classify(400, GeminiBodies.LOCATION_NOT_SUPPORTED).errorClass());
        assertEquals(ErrorClass.BILLING_REQUIRED, classify(400, "{\"error\":{\"code\":400,\"message\":"
                + "\"Gemini API free tier is not available in your country. Please enable billing.\","
                + "\"status\":\"FAILED_PRECONDITION\"}}").errorClass());
        assertEquals(ErrorClass.Action.FAIL, ErrorClass.BAD_REQUEST.action());

        assertEquals(ErrorClass.TIMEOUT, classifier.classify(new GeminiTransportException(
                GeminiTransportException.Kind.TIMEOUT, "t", null)).errorClass());
        assertEquals(ErrorClass.NETWORK, classifier.classify(new GeminiTransportException(
                GeminiTransportException.Kind.IO, "io", null)).errorClass());
        assertEquals(ErrorClass.CANCELLED, classifier.classify(new GeminiTransportException(
                GeminiTransportException.Kind.INTERRUPTED, "i", null)).errorClass());
        assertEquals(ErrorClass.UNEXPECTED, classifier.classify(new IllegalStateException()).errorClass());
    }

    @Test
    void envelopeParsingIsLenient() {
        GeminiError wrapped = GeminiError.parse(500, "[" + GeminiBodies.INTERNAL + "]");
        assertEquals("INTERNAL", wrapped.status());
        GeminiError html = GeminiError.parse(502, "<html>oops</html>");
        assertNull(html.status());
        assertEquals("<html>oops</html>", html.message());
        assertTrue(GeminiError.parse(429, GeminiBodies.QUOTA_HELP_ONLY).detailTypes().contains("Help"));
        assertEquals(Duration.ofMillis(34_400), GeminiError.parseProtoDuration("34.4s"));
        assertNull(GeminiError.parseProtoDuration("34"));
        assertNull(GeminiError.parseProtoDuration("-1s"));
    }
}
