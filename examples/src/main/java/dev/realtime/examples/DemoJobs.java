package dev.realtime.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.server.HttpRoute;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example server's demo jobs ({@code POST /api/demo-jobs}): each request starts a job that reports progress
 * on the given scheduler step by step, then completes. At most 100 run at once; on a secured server a request
 * needs the API key (and without a configured key demo jobs are off).
 *
 * <p>Thread-safe: the counters are atomic and each job's steps run on the (single-threaded) scheduler, which the
 * {@link ExampleServer} owns and shuts down. Logs under the {@code ExampleServer} logger, as before the split.
 */
final class DemoJobs {
    private static final Logger log = LoggerFactory.getLogger(ExampleServer.class);

    private final RealtimeHub hub;
    private final ScheduledExecutorService demoJobs;
    private final FileRoutes fileRoutes;
    /** Whether demo jobs need the API key (a secured server); without a key on a secured server they are off. */
    private final boolean secured;
    private final Optional<String> apiKey;
    private final AtomicLong jobIds = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();

    DemoJobs(RealtimeHub hub, ScheduledExecutorService demoJobs, FileRoutes fileRoutes, Optional<String> apiKey) {
        this.hub = hub;
        this.demoJobs = demoJobs;
        this.fileRoutes = fileRoutes;
        this.secured = fileRoutes.secured();
        this.apiKey = apiKey;
    }

    /**
     * {@code POST /api/demo-jobs} with an optional body {@code {"steps":10,"intervalMs":300,"userId":"u1"}}:
     * publishes {@code job:progress} every interval, then {@code job:completed}; answers {@code {"jobId":...}}.
     */
    HttpRoute.Response start(HttpRoute.Request request) throws IOException {
        if (secured && !fileRoutes.hasKey(request)) {
            throw new RealtimeException(apiKey.isPresent() ? ErrorCode.UNAUTHORIZED : ErrorCode.FORBIDDEN,
                    apiKey.isPresent() ? "demo jobs need the X-Api-Key header on a secured server"
                            : "demo jobs are for development: this server is secured and has no --api-key");
        }
        int steps = 10;
        long intervalMs = 300;
        String userId = null;
        if (request.body().length > 0) {
            JsonNode body = hub.mapper().readTree(request.body());
            if (body == null || !body.isObject()) {
                throw new RealtimeException(ErrorCode.BAD_REQUEST, "the body must be a JSON object");
            }
            steps = body.path("steps").asInt(steps);
            intervalMs = body.path("intervalMs").asLong(intervalMs);
            userId = body.hasNonNull("userId") ? body.get("userId").asText() : null;
        }
        if (steps < 1 || steps > 1000 || intervalMs < 10 || intervalMs > 10_000) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "steps must be 1..1000 and intervalMs 10..10000");
        }
        if (running.get() >= 100) {
            throw new RealtimeException(ErrorCode.RATE_LIMITED, "too many demo jobs running");
        }
        String jobId = "demo-" + jobIds.incrementAndGet();
        var job = hub.jobs().job(jobId, userId);
        running.incrementAndGet();
        job.update("queued", Map.of("steps", steps));
        int total = steps;
        long interval = intervalMs;
        AtomicInteger step = new AtomicInteger();
        demoJobs.schedule(new Runnable() {
            @Override
            public void run() {
                try {
                    int s = step.incrementAndGet();
                    job.progress(s * 100 / total, "Step " + s + " of " + total);
                    if (s < total) {
                        demoJobs.schedule(this, interval, TimeUnit.MILLISECONDS);
                    } else {
                        job.completed(Map.of("steps", total, "message", "Demo job finished"));
                        running.decrementAndGet();
                    }
                } catch (RuntimeException e) {
                    running.decrementAndGet();
                    log.warn("demo job {} failed: {}", jobId, e.toString());
                }
            }
        }, intervalMs, TimeUnit.MILLISECONDS);
        log.info("demo job {} started: {} steps every {} ms", jobId, steps, intervalMs);
        return HttpRoute.Response.json(201, "{\"jobId\":\"" + jobId + "\"}");
    }
}
