package dev.realtime.core.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link ContentGenerator} that runs every call through an {@link ApiKeyPool}: it leases a key, performs the call
 * with a {@link GeminiClient}, classifies the outcome with an {@link ErrorClassifier}, reports it to the pool, and
 * then, per the class's {@link ErrorClass.Action}:
 * <ul>
 *   <li>{@code ROTATE} (bad/blocked key, quota): retries at once on the next eligible key, at most
 *       {@code maxAttempts} key attempts per call. A penalised key is not granted again before its cool-down ends,
 *       so a call tries each key at most once, unless every key is cooling and the pool's {@code maxWait} lets it
 *       wait for the earliest one (the reference's "sleep until the earliest expiry, then retry");</li>
 *   <li>{@code RETRY} (500, 503, 504, timeouts, connection errors): backs off (jittered; 503 longer) and retries
 *       on any key without penalising it, at most {@code transientRetries} times;</li>
 *   <li>{@code FAIL} (bad request, unknown model, missing key, content problems): throws at once.</li>
 * </ul>
 * A 200 response whose content is blocked, filtered, truncated or empty counts as a success for the key and is
 * thrown to the caller as the {@link GeminiContentException}. When the pool has no key within its maximum wait,
 * {@link NoKeyAvailableException} is thrown (with the last call error as cause, if any). A stream is retried only
 * if it failed before its first chunk was delivered.
 *
 * <pre>{@code
 * GeminiKeyRotatingClient gemini = GeminiKeyRotatingClient.builder(
 *         GeminiClient.builder().build(),
 *         ApiKeyPool.builder().keysFromEnvironment(System.getenv()).build())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe; blocking (run calls on a worker executor). Creates no threads; nothing to close.
 *
 * @since 0.1
 */
public final class GeminiKeyRotatingClient implements ContentGenerator {
    private static final Logger log = LoggerFactory.getLogger(GeminiKeyRotatingClient.class);

    private final GeminiClient client;
    private final ApiKeyPool pool;
    private final ErrorClassifier classifier;
    private final int maxAttempts;
    private final int transientRetries;
    private final RetryPolicy serverErrorBackoff;
    private final RetryPolicy overloadedBackoff;
    private final Sleeper sleeper;

    private GeminiKeyRotatingClient(Builder b) {
        this.client = b.client;
        this.pool = b.pool;
        this.classifier = b.classifier;
        this.maxAttempts = b.maxAttempts;
        this.transientRetries = b.transientRetries;
        this.serverErrorBackoff = b.serverErrorBackoff;
        this.overloadedBackoff = b.overloadedBackoff;
        this.sleeper = b.sleeper;
    }

    /** A builder over a client and a pool (both stay owned by the caller). */
    public static Builder builder(GeminiClient client, ApiKeyPool pool) {
        return new Builder(client, pool);
    }

    /** The pool (for statistics and listeners). */
    public ApiKeyPool pool() {
        return pool;
    }

    @Override
    public GenerateContentResponse generateContent(GenerateContentRequest request) {
        Objects.requireNonNull(request, "request");
        return execute(key -> client.generateContent(key, request), () -> false);
    }

    @Override
    public GenerateContentResponse streamGenerateContent(GenerateContentRequest request,
                                                         Consumer<GenerateContentResponse> onChunk) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onChunk, "onChunk");
        AtomicBoolean delivered = new AtomicBoolean();
        return execute(key -> client.streamGenerateContent(key, request, chunk -> {
            delivered.set(true);
            onChunk.accept(chunk);
        }), delivered::get);
    }

    private interface Call {
        GenerateContentResponse perform(String key);
    }

    private interface Flag {
        boolean get();
    }

    private GenerateContentResponse execute(Call call, Flag partialOutputDelivered) {
        int rotationBudget = maxAttempts;
        int rotations = 0;
        int retries = 0;
        GeminiException last = null;
        while (true) {
            ApiKeyPool.Lease lease;
            try {
                lease = pool.acquire();
            } catch (NoKeyAvailableException e) {
                if (last == null) {
                    throw e;
                }
                throw new NoKeyAvailableException(e.earliestRetryAt().orElse(null),
                        e.getMessage() + "; last error: " + last.getMessage(), last);
            }
            try {
                GenerateContentResponse response = call.perform(lease.key());
                lease.succeeded(response.usageMetadata());
                return response;
            } catch (GeminiContentException e) {
                lease.succeeded(e.response() == null ? null : e.response().usageMetadata());
                throw e;
            } catch (GeminiException e) {
                Classification c = classifier.classify(e);
                lease.failed(c);
                last = e;
                ErrorClass.Action action = partialOutputDelivered.get() ? ErrorClass.Action.FAIL
                        : c.errorClass().action();
                switch (action) {
                    case FAIL -> throw e;
                    case ROTATE -> {
                        if (++rotations >= rotationBudget) {
                            log.warn("Gemini call failed on {} ({}); rotation budget {} exhausted", lease.keyId(),
                                    c.reason(), rotationBudget);
                            throw e;
                        }
                        log.debug("Gemini call failed on {} ({}); rotating", lease.keyId(), c.reason());
                    }
                    case RETRY -> {
                        if (++retries > transientRetries) {
                            throw e;
                        }
                        RetryPolicy policy = c.errorClass() == ErrorClass.OVERLOADED ? overloadedBackoff
                                : serverErrorBackoff;
                        Duration delay = policy.delay(retries);
                        log.debug("Gemini call failed on {} ({}); retry {} in {}", lease.keyId(), c.reason(), retries,
                                delay);
                        sleep(delay, e);
                    }
                }
            } catch (RuntimeException e) {
                lease.failed(classifier.classify(e));
                throw e;
            }
        }
    }

    private void sleep(Duration delay, GeminiException cause) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            GeminiTransportException t = new GeminiTransportException(GeminiTransportException.Kind.INTERRUPTED,
                    "interrupted while backing off after: " + cause.getMessage(), ie);
            t.addSuppressed(cause);
            throw t;
        }
    }

    /** Builder for {@link GeminiKeyRotatingClient}; validates eagerly, not thread-safe. */
    public static final class Builder {
        private final GeminiClient client;
        private final ApiKeyPool pool;
        private final ErrorClassifier classifier = new ErrorClassifier();
        private int maxAttempts = 4;
        private int transientRetries = 2;
        private RetryPolicy serverErrorBackoff = RetryPolicy.equalJitter(Duration.ofMillis(500), Duration.ofSeconds(8));
        private RetryPolicy overloadedBackoff = RetryPolicy.equalJitter(Duration.ofSeconds(2), Duration.ofSeconds(30));
        private Sleeper sleeper = Sleeper.system();

        private Builder(GeminiClient client, ApiKeyPool pool) {
            this.client = Objects.requireNonNull(client, "client");
            this.pool = Objects.requireNonNull(pool, "pool");
        }

        /** Upper bound of key attempts per call that end in a key problem or quota error (default 4). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Retries after 5xx/timeouts/network errors per call (default 2; 0 disables). */
        public Builder transientRetries(int transientRetries) {
            if (transientRetries < 0) {
                throw new IllegalArgumentException("transientRetries must be >= 0: " + transientRetries);
            }
            this.transientRetries = transientRetries;
            return this;
        }

        /** Backoff after 500/504/timeouts/network errors (default equal jitter 0.5 s doubling to 8 s). */
        public Builder serverErrorBackoff(RetryPolicy policy) {
            this.serverErrorBackoff = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Backoff after 503 overloaded (default equal jitter 2 s doubling to 30 s). */
        public Builder overloadedBackoff(RetryPolicy policy) {
            this.overloadedBackoff = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Sleeper for backoffs (default {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Builds the client. */
        public GeminiKeyRotatingClient build() {
            return new GeminiKeyRotatingClient(this);
        }
    }
}
