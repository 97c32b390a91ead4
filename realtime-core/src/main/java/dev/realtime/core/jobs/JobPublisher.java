package dev.realtime.core.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Rooms;
import dev.realtime.core.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Publishes job events with exactly seed 002's payloads:
 * <ul>
 *   <li>{@code job:update {jobId, status, data, timestamp}}</li>
 *   <li>{@code job:progress {jobId, status:'in_progress', progress, message?, timestamp}}</li>
 *   <li>{@code job:completed {jobId, status:'completed', result, timestamp}}</li>
 *   <li>{@code job:error {jobId, status:'failed', error, timestamp}}</li>
 * </ul>
 * Each goes to {@code job:{id}} (its history stream, so it gets an offset), to {@code user:{owner}} when the job
 * has an owner, and to {@code all-jobs}; a client in several of those rooms receives it once. An owner given
 * once (through {@link #job(String, String)} or {@link #owner}) is stored with the job's stream in the history
 * store, so every node sharing the store routes the job's later events and checks its room rules with it (a node
 * keeps a short-lived cache).
 *
 * <p><b>Retries.</b> {@code jobs().idempotent(key).progress(...)} publishes with an idempotency key: repeating the
 * call (after a timeout, on any node sharing the store) stores nothing new and returns the first result with
 * {@link PublishResult#duplicate()} set.
 *
 * <p>Thread-safe. Methods return after the event is in history and queued for local clients; they never wait
 * for slow clients. They throw {@link dev.realtime.core.StoreException} when history cannot be written.
 *
 * @since 0.1
 */
public final class JobPublisher {
    public static final String UPDATE = "job:update";
    public static final String PROGRESS = "job:progress";
    public static final String COMPLETED = "job:completed";
    public static final String ERROR = "job:error";

    private final RealtimeHub hub;
    /** This node's cache of owners found in the store; short-lived so that a change on another node shows. */
    private final Cache<String, String> owners;
    /** The idempotency key of this view's publishes, or null. */
    private final String idempotencyKey;

    /** The publisher of {@code hub} ({@link RealtimeHub#jobs()}); it only keeps the reference. */
    public JobPublisher(RealtimeHub hub) {
        this(hub, Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1)).maximumSize(1_000_000).build(),
                null);
    }

    private JobPublisher(RealtimeHub hub, Cache<String, String> owners, String idempotencyKey) {
        this.hub = hub;
        this.owners = owners;
        this.idempotencyKey = idempotencyKey;
    }

    /**
     * A view of this publisher whose publishes carry {@code key}: a repeated publish with the same key into the
     * same job stores nothing new and returns the first result ({@link PublishResult#duplicate()}). Use one key
     * per logical event (e.g. the producer's event id).
     */
    public JobPublisher idempotent(String key) {
        if (key == null || key.isBlank() || key.length() > 200) {
            throw new IllegalArgumentException("an idempotency key is 1..200 characters");
        }
        return new JobPublisher(hub, owners, key);
    }

    /**
     * Records {@code userId} as the owner of {@code jobId} in the history store: its events also go to
     * {@code user:{userId}}, on every node sharing the store.
     *
     * @throws dev.realtime.core.StoreException when the store cannot be written
     */
    public void owner(String jobId, String userId) {
        requireId(jobId, "jobId");
        requireId(userId, "userId");
        if (!userId.equals(owners.getIfPresent(jobId))) {
            hub.historyStore().recordOwner(Rooms.job(jobId), userId);
            owners.put(jobId, userId);
        }
    }

    /** The owner of a job: this node's cache, else the history store (so an owner set on another node counts). */
    public Optional<String> ownerOf(String jobId) {
        String cached = owners.getIfPresent(jobId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> stored = hub.historyStore().owner(Rooms.job(jobId));
        stored.ifPresent(o -> owners.put(jobId, o));
        return stored;
    }

    /** A handle for one job owned by {@code ownerUserId} (may be null for no owner). */
    public Job job(String jobId, String ownerUserId) {
        requireId(jobId, "jobId");
        if (ownerUserId != null) {
            owner(jobId, ownerUserId);
        }
        return new Job(jobId);
    }

    /** {@code job:update}: a status change with arbitrary data. */
    public PublishResult update(String jobId, String status, Object data) {
        ObjectNode p = base(jobId, Objects.requireNonNull(status, "status"));
        p.set("data", hub.mapper().valueToTree(data));
        return send(jobId, UPDATE, p);
    }

    /** {@code job:progress}: {@code progress} from 0 to 100, {@code message} optional. */
    public PublishResult progress(String jobId, int progress, String message) {
        if (progress < 0 || progress > 100) {
            throw new IllegalArgumentException("progress must be 0..100: " + progress);
        }
        ObjectNode p = hub.mapper().createObjectNode();
        p.put("jobId", requireId(jobId, "jobId"));
        p.put("status", "in_progress");
        p.put("progress", progress);
        if (message != null) {
            p.put("message", message);
        }
        p.put("timestamp", Timestamps.format(hub.clock().instant()));
        return send(jobId, PROGRESS, p);
    }

    /** {@code job:completed} with the job's result (any Jackson-serializable value). */
    public PublishResult completed(String jobId, Object result) {
        ObjectNode p = base(jobId, "completed");
        p.set("result", hub.mapper().valueToTree(result));
        return send(jobId, COMPLETED, p);
    }

    /** {@code job:error} with an error message. */
    public PublishResult failed(String jobId, String error) {
        ObjectNode p = base(jobId, "failed");
        p.put("error", Objects.requireNonNull(error, "error"));
        return send(jobId, ERROR, p);
    }

    /** {@code job:error} with the exception's message (or its class name when it has none). */
    public PublishResult failed(String jobId, Throwable error) {
        String msg = error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
        return failed(jobId, msg);
    }

    private ObjectNode base(String jobId, String status) {
        ObjectNode p = hub.mapper().createObjectNode();
        p.put("jobId", requireId(jobId, "jobId"));
        p.put("status", status);
        return p;
    }

    private PublishResult send(String jobId, String event, ObjectNode payload) {
        if (!payload.has("timestamp")) {
            payload.put("timestamp", Timestamps.format(hub.clock().instant()));
        }
        List<String> rooms = new ArrayList<>(3);
        rooms.add(Rooms.job(jobId));
        ownerOf(jobId).ifPresent(owner -> rooms.add(Rooms.user(owner)));
        rooms.add(Rooms.ALL_JOBS);
        return hub.publish(rooms, event, payload, idempotencyKey);
    }

    private static String requireId(String id, String name) {
        if (id == null || id.isBlank() || !Rooms.valid("x:" + id)) {
            throw new IllegalArgumentException(name + " must be non-blank letters, digits or :_-./@ : " + id);
        }
        return id;
    }

    /**
     * One job's publisher, bound to its id (and owner). Thread-safe; cheap to create.
     *
     * @since 0.1
     */
    public final class Job {
        private final String jobId;

        private Job(String jobId) {
            this.jobId = jobId;
        }

        public String id() {
            return jobId;
        }

        public PublishResult update(String status, Object data) {
            return JobPublisher.this.update(jobId, status, data);
        }

        public PublishResult progress(int progress, String message) {
            return JobPublisher.this.progress(jobId, progress, message);
        }

        public PublishResult completed(Object result) {
            return JobPublisher.this.completed(jobId, result);
        }

        public PublishResult failed(String error) {
            return JobPublisher.this.failed(jobId, error);
        }
    }
}
