package dev.realtime.core.interview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.Arguments;
import dev.realtime.core.Checks;
import dev.realtime.core.Client;
import dev.realtime.core.Namespace;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Timestamps;
import dev.realtime.core.history.HistoryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 003's interview sessions on the Socket.IO namespace {@code /interview}, written on the public API only
 * (the hub's greeting {@code connection:success} comes first):
 * <ul>
 *   <li>{@code session:join {sessionId}} (or the id alone) → {@code session:joined {sessionId, userId, participants, status,
 *   statusHistory, timestamp}} (also the acknowledgement); the hub publishes {@code user:joined} to the room once per
 *   user. Refused with {@code session:error {sessionId, code, message}}: {@code forbidden} unless
 *   {@link SessionAccess} allows the token's user. {@code session:leave} → {@code session:left}.</li>
 *   <li>{@code session:status {sessionId?, status, message?}} → {@code session:status:updated {sessionId, status,
 *   previous, userId, message, timestamp}} to the session; kept in the hub's history store (shared by every node),
 *   so a late joiner's {@code session:joined} carries the current status. Codes {@code invalid_status},
 *   {@code not_joined}.</li>
 *   <li>{@code audio:stream {audioData, format, sampleRate}} (base64 text, or a binary attachment) →
 *   {@code audio:received {sessionId, userId, seq, audioData, format, sampleRate, bytes, binary, timestamp}} to the
 *   session's other members, in order; {@code audio:error} with {@code too_large}, {@code rate_limited},
 *   {@code bad_request} or {@code not_joined}. Receivers always get {@code audioData} as base64 (one shape on every
 *   node and protocol).</li>
 *   <li>{@code transcription:request} (same payload, optional {@code requestId}, {@code language}) →
 *   {@code transcription:processing}, partial {@code transcription:result {isFinal:false}} while a long clip is
 *   processed, the final {@code transcription:result {isFinal:true, text}}, then {@code responses:suggestions
 *   {transcriptionId, forText, suggestions, source}} to the session; or {@code transcription:error {code, message}}
 *   to the requester.</li>
 *   <li>{@code session:*} sent to a session the client is not in answer {@code not_joined}: events reach a
 *   session's members only.</li>
 * </ul>
 * When several sessions are joined, payloads must name their {@code sessionId}; with one it is implied. Every
 * request is also acknowledged: the result, or {@code {status:"error", code, message}}.
 *
 * <p><b>Idle cleanup.</b> Every {@code cleanupInterval} (5 minutes) on the scheduler, sessions without activity
 * (join, status, audio, transcription) for {@code idleTimeout} on any node are cleaned up: this node's members get
 * {@code session:left {reason:"idle"}} and leave the room (the hub publishes {@code user:left}), and the session's
 * local state is dropped. Time is the hub's clock; {@link #cleanUpIdleSessions()} runs the same check at once.
 *
 * <p><b>Threads.</b> Handlers run on each client's serial handler executor (so one sender's chunks are published
 * in order) and do quick store I/O there. Transcription and suggestions run on a bounded worker pool (the caller's,
 * or one this gateway creates and {@link #close() closes}); external processes and HTTP calls happen only there.
 * The cleanup runs on the scheduler (the caller's, or one this gateway creates and closes). Thread-safe; no lock is
 * held during I/O.
 *
 * @since 0.2
 */
public final class InterviewGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InterviewGateway.class);
    /** Default period of the idle cleanup (seed 003: every 5 minutes). */
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(5);
    /** Default time without activity after which a session is cleaned up. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** Default statuses accepted by {@code session:status}. */
    public static final Set<String> DEFAULT_STATUSES = Set.of("waiting", "active", "paused", "completed",
            "cancelled");

    /** {@code session:join}, {@code session:leave}. */
    public record SessionRef(String sessionId) {
    }

    /** {@code session:status}. */
    public record StatusUpdate(String sessionId, String status, String message) {
    }

    private final RealtimeHub hub;
    private final Namespace ns;
    private final Duration idleTimeout;
    private final Sessions sessions;
    private final AudioRelay relay;
    private final Transcriptions transcriptions;
    private final SessionCommands commands;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ExecutorService workers;
    private final boolean ownsWorkers;
    private final ScheduledFuture<?> cleanup;

    private InterviewGateway(Builder b) {
        this.hub = b.hub;
        this.ns = hub.namespace("/interview");
        this.idleTimeout = b.idleTimeout;
        this.sessions = new Sessions(hub);
        this.relay = new AudioRelay(hub, sessions, b.maxChunkBytes, b.chunkBurst, b.chunksPerSecond);
        this.ownsWorkers = b.workers == null;
        this.workers = ownsWorkers ? Workers.bounded(b.transcriptionThreads, b.transcriptionQueue) : b.workers;
        this.transcriptions = new Transcriptions(hub, sessions, b.transcriber, b.suggester, workers,
                b.maxTranscriptionBytes);
        this.commands = new SessionCommands(hub, sessions, b.access, b.statuses);
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Workers.scheduler() : b.scheduler;
        // a session id alone ("s1") is accepted too; a payload that does not convert answers session:error
        ns.on("session:join", (c, args) -> guarded(c, "session:error", sessionIdOf(args),
                () -> commands.join(c, ref(args))));
        ns.on("session:leave", (c, args) -> guarded(c, "session:error", sessionIdOf(args),
                () -> commands.leave(c, ref(args))));
        ns.on("session:status", (c, args) -> guarded(c, "session:error", sessionIdOf(args),
                () -> commands.status(c, args.get(0, StatusUpdate.class))));
        ns.on("audio:stream", (c, args) -> guarded(c, "audio:error", sessionIdOf(args), () -> {
            try {
                return relay.stream(c, args);
            } catch (InterviewException e) {
                sessions.chunksRejected.increment();
                throw e;
            }
        }));
        ns.on("transcription:request", (c, args) -> guarded(c, "transcription:error", sessionIdOf(args), () -> {
            try {
                return transcriptions.request(c, args);
            } catch (InterviewException e) {
                sessions.transcriptionFailures.increment();
                throw e;
            }
        }));
        ns.onDisconnect((c, reason) -> sessions.gone(c));
        long every = b.cleanupInterval.toMillis();
        this.cleanup = scheduler.scheduleAtFixedRate(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** A builder for a gateway on {@code hub}'s {@code /interview}; {@link Builder#build()} registers the events. */
    public static Builder builder(RealtimeHub hub) {
        return new Builder(hub);
    }

    private static SessionRef ref(Arguments args) {
        JsonNode first = args.get(0);
        return first.isTextual() ? new SessionRef(first.asText()) : args.get(0, SessionRef.class);
    }

    private static String sessionIdOf(Arguments args) {
        JsonNode first = args.get(0);
        if (first.isTextual()) {
            return first.asText().length() <= 200 ? first.asText() : null;
        }
        JsonNode meta = first.isObject() ? first : args.get(1);
        return meta.path("sessionId").isTextual() ? meta.path("sessionId").asText() : null;
    }

    /** Runs a request; a refusal goes to the client as {@code errorEvent} and as the acknowledgement. */
    private Object guarded(Client client, String errorEvent, String sessionId, java.util.function.Supplier<Object> op) {
        try {
            return op.get();
        } catch (InterviewException e) {
            return refuse(client, errorEvent, sessionId, e.reason(), e.getMessage());
        } catch (RealtimeException e) {
            return refuse(client, errorEvent, sessionId, e.code().wire(), e.getMessage());
        }
    }

    private Map<String, Object> refuse(Client client, String event, String sessionId, String code, String message) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("status", "error");
        err.put("sessionId", sessionId);
        err.put("code", code);
        err.put("message", message);
        err.put("timestamp", now());
        client.emit(event, err);
        return err;
    }

    private JsonNode json(String data) {
        return commands.json(data);
    }

    private String now() {
        return Timestamps.format(hub.clock().instant());
    }

    private void sweepQuietly() {
        try {
            cleanUpIdleSessions();
        } catch (RuntimeException e) {
            log.warn("interview idle cleanup failed", e);
        }
    }

    /**
     * Cleans up the sessions idle for the idle timeout now (the scheduler calls it every cleanup interval).
     *
     * @return the ids of the sessions cleaned up
     */
    public List<String> cleanUpIdleSessions() {
        List<String> cleaned = new ArrayList<>();
        for (Sessions.State s : sessions.idle(idleTimeout)) {
            for (Client c : List.copyOf(s.members.values())) {
                Map<String, Object> left = new LinkedHashMap<>();
                left.put("sessionId", s.id);
                left.put("reason", "idle");
                left.put("timestamp", now());
                c.emit("session:left", left);
                c.leave(Sessions.room(s.id));
                sessions.left(s.id, c);
            }
            sessions.remove(s);
            cleaned.add(s.id);
        }
        Set<String> users = new HashSet<>();
        for (Sessions.State s : sessions.all()) {
            s.members.values().forEach(c -> users.add(AudioRelay.userOf(c)));
        }
        relay.prune(users);
        if (!cleaned.isEmpty()) {
            log.info("cleaned up {} idle interview session(s): {}", cleaned.size(), cleaned);
        }
        return cleaned;
    }

    /** This node's counters. */
    public InterviewStats stats() {
        return sessions.stats();
    }

    /** A session as this node sees it, when it has state here. */
    public Optional<SessionInfo> session(String sessionId) {
        return sessions.get(sessionId).map(s -> {
            List<HistoryEntry> last = sessions.recent(Sessions.statusStream(s.id), 1);
            String status = last.isEmpty() ? null : json(last.get(0).data()).path("status").asText(null);
            return new SessionInfo(s.id, hub.presence(Sessions.room(s.id)), s.members.size(), s.created,
                    s.lastActivity, status, s.chunks.sum(), s.bytes.sum(), s.transcriptions.sum());
        });
    }

    /** Stops the cleanup; shuts down the scheduler and workers this gateway created (running work is interrupted). */
    @Override
    public void close() {
        cleanup.cancel(false);
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        if (ownsWorkers) {
            Workers.close(workers);
        }
    }

    /**
     * Configures an {@link InterviewGateway}. Defaults: {@link SessionAccess} over an empty in-memory directory
     * (only admins may join until participants are added: give your own), transcriber
     * {@link PocketsphinxTranscriber#detect()}, suggestions {@link OfflineSuggester}, chunks up to 256 KiB, 20 per
     * second per user (burst 40), transcriptions up to 8 MiB on 2 workers with 32 waiting, cleanup every 5 minutes
     * of sessions idle for 30. Not thread-safe; build once.
     */
    public static final class Builder {
        private final RealtimeHub hub;
        private SessionAccess access;
        private Set<String> statuses = DEFAULT_STATUSES;
        private Transcriber transcriber;
        private Suggester suggester = new OfflineSuggester();
        private int maxChunkBytes = 256 * 1024;
        private int chunksPerSecond = 20;
        private int chunkBurst = 40;
        private int maxTranscriptionBytes = 8 * 1024 * 1024;
        private int transcriptionThreads = 2;
        private int transcriptionQueue = 32;
        private ExecutorService workers;
        private ScheduledExecutorService scheduler;
        private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

        private Builder(RealtimeHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
        }

        /** Who may join which session; give the same instance to the hub's {@code allowRooms}. */
        public Builder access(SessionAccess access) {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        /** The statuses {@code session:status} accepts (default {@link #DEFAULT_STATUSES}). */
        public Builder statuses(Set<String> statuses) {
            if (statuses.isEmpty()) {
                throw new IllegalArgumentException("statuses must not be empty");
            }
            this.statuses = Set.copyOf(statuses);
            return this;
        }

        /** Speech to text (default: {@link PocketsphinxTranscriber#detect()}). */
        public Builder transcriber(Transcriber transcriber) {
            this.transcriber = Objects.requireNonNull(transcriber, "transcriber");
            return this;
        }

        /** Answer suggestions after final transcriptions (default {@link OfflineSuggester}); null for none. */
        public Builder suggester(Suggester suggester) {
            this.suggester = suggester;
            return this;
        }

        /** Largest audio chunk, decoded (default 256 KiB); larger ones answer {@code too_large}. */
        public Builder maxChunkBytes(int bytes) {
            this.maxChunkBytes = Checks.atLeast(bytes, 1, "maxChunkBytes");
            return this;
        }

        /** Audio chunks per second per user on a node, and the burst (default 20 and 40). */
        public Builder chunkRate(int perSecond, int burst) {
            this.chunksPerSecond = Checks.atLeast(perSecond, 1, "perSecond");
            this.chunkBurst = Checks.atLeast(burst, 1, "burst");
            return this;
        }

        /** Largest clip of a {@code transcription:request}, decoded (default 8 MiB). */
        public Builder maxTranscriptionBytes(int bytes) {
            this.maxTranscriptionBytes = Checks.atLeast(bytes, 1, "maxTranscriptionBytes");
            return this;
        }

        /** Threads and queue of the worker pool the gateway creates (default 2 and 32). */
        public Builder transcriptionWorkers(int threads, int queue) {
            this.transcriptionThreads = Checks.atLeast(threads, 1, "threads");
            this.transcriptionQueue = Checks.atLeast(queue, 1, "queue");
            return this;
        }

        /** Runs transcriptions on your executor; the gateway never shuts it down. */
        public Builder workers(ExecutorService executor) {
            this.workers = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Runs the idle cleanup on your scheduler (e.g. a fake one in tests); the gateway never shuts it down. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Cleanup period (default 5 minutes) and idle time after which a session is cleaned up (default 30). */
        public Builder idleCleanup(Duration interval, Duration idleTimeout) {
            if (interval.isNegative() || interval.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("interval and idleTimeout must be positive");
            }
            this.cleanupInterval = interval;
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** Builds the gateway and registers its events on {@code /interview}. */
        public InterviewGateway build() {
            if (access == null) {
                access = SessionAccess.of(SessionDirectory.inMemory());
            }
            if (transcriber == null) {
                transcriber = PocketsphinxTranscriber.detect();
            }
            return new InterviewGateway(this);
        }
    }
}
