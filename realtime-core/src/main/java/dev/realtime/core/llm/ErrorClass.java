package dev.realtime.core.llm;

/**
 * What a failed Gemini call means for the key ({@link Penalty}) and for the request ({@link Action}). Produced by
 * {@link ErrorClassifier}, applied by {@link ApiKeyPool} and {@link GeminiKeyRotatingClient}. The mapping follows
 * the Gemini error table (HTTP status plus {@code ErrorInfo.reason}, {@code QuotaFailure}, {@code RetryInfo}).
 *
 * @since 0.1
 */
public enum ErrorClass {
    /** 400 {@code API_KEY_INVALID} (not valid / not found / expired), or 401: the key is bad. */
    KEY_INVALID(Penalty.BLOCK_KEY, Action.ROTATE),
    /** 403 {@code CONSUMER_SUSPENDED}, "reported as leaked", {@code API_KEY_*_BLOCKED}: the key is unusable. */
    KEY_REVOKED(Penalty.BLOCK_KEY, Action.ROTATE),
    /** 403 {@code SERVICE_DISABLED}: the API is off in the key's project, so every key of that project. */
    PROJECT_DISABLED(Penalty.BLOCK_PROJECT, Action.ROTATE),
    /** 403 "unregistered callers": no key reached Google (client or proxy bug). */
    MISSING_KEY(Penalty.NONE, Action.FAIL),
    /** 403 "The caller does not have permission": this key cannot use this model. */
    MODEL_ACCESS_DENIED(Penalty.COOL_KEY_LONG, Action.ROTATE),
    /** 429 with a per-minute {@code QuotaFailure} and/or {@code RetryInfo}: the project's RPM/TPM window. */
    RATE_LIMITED(Penalty.COOL_PROJECT_RETRY_DELAY, Action.ROTATE),
    /** 429 with a per-day quota id, {@code limit: 0}, or only a {@code Help} detail: daily or plan quota. */
    DAILY_QUOTA(Penalty.COOL_PROJECT_UNTIL_RESET, Action.ROTATE),
    /** 429 without details: cause unknown. */
    RATE_LIMITED_UNSPECIFIED(Penalty.COOL_KEY_BACKOFF, Action.ROTATE),
    /** 500 (and 502): server fault, not the key's. */
    SERVER_ERROR(Penalty.NONE, Action.RETRY),
    /** 503 overloaded / high demand: model capacity; another key does not help. */
    OVERLOADED(Penalty.NONE, Action.RETRY),
    /** 504, 408 or a client-side timeout. */
    TIMEOUT(Penalty.NONE, Action.RETRY),
    /** Connection refused/reset, broken stream. */
    NETWORK(Penalty.NONE, Action.RETRY),
    /** 404: unknown model; the same for every key. */
    NOT_FOUND(Penalty.NONE, Action.FAIL),
    /** 400 {@code INVALID_ARGUMENT} that is not a key problem (bad field, bad schema, too large), other 4xx. */
    BAD_REQUEST(Penalty.NONE, Action.FAIL),
    /** 400 {@code FAILED_PRECONDITION} (e.g. unsupported user location). */
    FAILED_PRECONDITION(Penalty.NONE, Action.FAIL),
    /** 400 {@code FAILED_PRECONDITION} naming billing or the free tier: fail, and cool that key long. */
    BILLING_REQUIRED(Penalty.COOL_KEY_LONG, Action.FAIL),
    /** HTTP 200 without usable content (blocked, filtered, truncated, empty): the key worked. */
    CONTENT_REJECTED(Penalty.NONE, Action.FAIL),
    /** The calling thread was interrupted. */
    CANCELLED(Penalty.NONE, Action.FAIL),
    /** Anything else (a bug); not the key's fault. */
    UNEXPECTED(Penalty.NONE, Action.FAIL);

    /** Effect on the key (and its project) in the pool. */
    public enum Penalty {
        /** Key stays available. */
        NONE,
        /** Key blocked until {@link ApiKeyPool#unblock(String)}. */
        BLOCK_KEY,
        /** Every key of the project blocked. */
        BLOCK_PROJECT,
        /** Key cooling for the pool's long cool-down (default 1 h). */
        COOL_KEY_LONG,
        /** Key cooling with per-key exponential backoff (1 s, 2 s, 4 s ... 60 s by default). */
        COOL_KEY_BACKOFF,
        /** Every key of the project cooling until now + retryDelay (+ jitter); backoff if no delay is known. */
        COOL_PROJECT_RETRY_DELAY,
        /** Every key of the project cooling until the daily quota reset (next midnight, Pacific time). */
        COOL_PROJECT_UNTIL_RESET
    }

    /** What to do with the request. */
    public enum Action {
        /** Retry now on another eligible key. */
        ROTATE,
        /** Back off and retry (any key), without penalising the key. */
        RETRY,
        /** Surface the error; do not try other keys. */
        FAIL
    }

    private final Penalty penalty;
    private final Action action;

    ErrorClass(Penalty penalty, Action action) {
        this.penalty = penalty;
        this.action = action;
    }

    /** The effect on the key. */
    public Penalty penalty() {
        return penalty;
    }

    /** The effect on the request. */
    public Action action() {
        return action;
    }
}
