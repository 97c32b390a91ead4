package dev.realtime.core.llm;

import java.time.Duration;
import java.util.Locale;

/**
 * Maps a failure of a Gemini call to an {@link ErrorClass}, looking at the HTTP status <em>and</em> the error body
 * ({@code ErrorInfo.reason}, {@code QuotaFailure} quota ids, {@code RetryInfo.retryDelay}, message text).
 *
 * <h2>Seed 004 vs. Gemini's real statuses</h2>
 * The original design said "invalid key (401): block permanently; quota exceeded (403): block with exponential
 * backoff; rate limit (429): rotate". Gemini does not answer that way:
 * <ul>
 *   <li>An invalid, unknown or expired key is <b>400</b> {@code INVALID_ARGUMENT} with
 *       {@code ErrorInfo.reason=API_KEY_INVALID} &rarr; {@link ErrorClass#KEY_INVALID} (block + rotate). A bare 401
 *       (proxies, OAuth) is treated the same way, honouring the seed's "401 permanent".</li>
 *   <li>403 {@code PERMISSION_DENIED} is a key or project problem (suspended, leaked, API disabled, no access to
 *       the model), never a quota: it blocks the key (or project), or cools the key long for model access.</li>
 *   <li>Quota exhaustion, the seed's "403 backoff", is really <b>429</b> {@code RESOURCE_EXHAUSTED}: per-minute
 *       quota &rarr; cool-down for {@code retryDelay}; per-day quota &rarr; cool-down until the daily reset; bare
 *       429 &rarr; per-key exponential backoff. Quotas are per project, so quota cool-downs apply to every key of
 *       the project.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ErrorClassifier {

    /** Creates the default classifier. */
    public ErrorClassifier() {
    }

    /** Classifies any throwable raised by a Gemini call; never returns {@code null}. */
    public Classification classify(Throwable failure) {
        if (failure instanceof GeminiApiException api) {
            return classifyApi(api.error(), api.retryAfterHeader());
        }
        if (failure instanceof GeminiTransportException t) {
            return switch (t.kind()) {
                case TIMEOUT -> Classification.of(ErrorClass.TIMEOUT, "client timeout");
                case IO -> Classification.of(ErrorClass.NETWORK, "network: " + t.getMessage());
                case INTERRUPTED -> Classification.of(ErrorClass.CANCELLED, "interrupted");
            };
        }
        if (failure instanceof GeminiContentException c) {
            return Classification.of(ErrorClass.CONTENT_REJECTED, c.getMessage());
        }
        return Classification.of(ErrorClass.UNEXPECTED, String.valueOf(failure));
    }

    /**
     * Classifies a parsed error body.
     *
     * @param retryAfterHeader {@code Retry-After} header value, or {@code null}
     */
    public Classification classifyApi(GeminiError e, Duration retryAfterHeader) {
        String reason = e.reason() == null ? "" : e.reason();
        String msg = e.message().toLowerCase(Locale.ROOT);
        String label = e.httpStatus() + " " + (e.status() == null ? "" : e.status())
                + (e.reason() == null ? "" : " " + e.reason());
        int status = e.httpStatus();
        switch (status) {
            case 400 -> {
                if (reason.startsWith("API_KEY_INVALID") || msg.contains("api key not valid")
                        || msg.contains("api key not found") || msg.contains("api key expired")) {
                    return Classification.of(ErrorClass.KEY_INVALID, label + ": " + e.message());
                }
                if ("FAILED_PRECONDITION".equals(e.status())) {
                    boolean billing = msg.contains("billing") || msg.contains("free tier");
                    return Classification.of(billing ? ErrorClass.BILLING_REQUIRED : ErrorClass.FAILED_PRECONDITION,
                            label + ": " + e.message());
                }
                return Classification.of(ErrorClass.BAD_REQUEST, label + ": " + e.message());
            }
            case 401 -> {
                return Classification.of(ErrorClass.KEY_INVALID, label + ": " + e.message());
            }
            case 403 -> {
                if ("SERVICE_DISABLED".equals(reason) || msg.contains("has not been used in project")
                        || msg.contains("it is disabled")) {
                    return Classification.of(ErrorClass.PROJECT_DISABLED, label);
                }
                if ("CONSUMER_SUSPENDED".equals(reason) || msg.contains("suspended") || msg.contains("leaked")
                        || (reason.startsWith("API_KEY_") && reason.endsWith("_BLOCKED"))
                        || reason.startsWith("API_KEY_INVALID")) {
                    return Classification.of(ErrorClass.KEY_REVOKED, label + ": " + firstLine(e.message()));
                }
                if (msg.contains("unregistered callers")) {
                    return Classification.of(ErrorClass.MISSING_KEY, label + ": no API key reached the server");
                }
                return Classification.of(ErrorClass.MODEL_ACCESS_DENIED, label + ": " + e.message());
            }
            case 404 -> {
                return Classification.of(ErrorClass.NOT_FOUND, label + ": " + e.message());
            }
            case 408 -> {
                return Classification.of(ErrorClass.TIMEOUT, label);
            }
            case 429 -> {
                return classifyQuota(e, retryAfterHeader, label, msg);
            }
            case 503 -> {
                return Classification.of(ErrorClass.OVERLOADED, label + ": " + e.message());
            }
            case 504 -> {
                return Classification.of(ErrorClass.TIMEOUT, label + ": " + e.message());
            }
            default -> {
                if (status >= 500) {
                    return Classification.of(ErrorClass.SERVER_ERROR, label + ": " + e.message());
                }
                return Classification.of(ErrorClass.BAD_REQUEST, label + ": " + e.message());
            }
        }
    }

    private static Classification classifyQuota(GeminiError e, Duration retryAfterHeader, String label, String msg) {
        Duration delay = e.retryDelay();
        if (delay == null) {
            delay = GeminiJson.retryHintFromMessage(e.message());
        }
        if (delay == null) {
            delay = retryAfterHeader;
        }
        boolean helpOnly = !e.detailTypes().isEmpty() && e.detailTypes().stream().allMatch("Help"::equals);
        if (e.hasPerDayViolation() || msg.contains("limit: 0") || helpOnly) {
            String quota = e.quotaViolations().stream().filter(QuotaViolation::perDay).findFirst()
                    .map(QuotaViolation::quotaId).orElse(helpOnly ? "plan quota (Help only)" : "limit: 0");
            return new Classification(ErrorClass.DAILY_QUOTA, delay, label + " daily quota " + quota);
        }
        if (!e.quotaViolations().isEmpty() || delay != null) {
            String quota = e.quotaViolations().stream().map(QuotaViolation::quotaId).findFirst().orElse("rate limit");
            return new Classification(ErrorClass.RATE_LIMITED, delay, label + " " + quota);
        }
        return Classification.of(ErrorClass.RATE_LIMITED_UNSPECIFIED, label + ": " + e.message());
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        String line = i < 0 ? s : s.substring(0, i);
        // "Consumer 'api_key:AIza...' has been suspended" would leak the key into stats and logs
        return line.replaceAll("api_key:[^' ]+", "api_key:****");
    }
}
