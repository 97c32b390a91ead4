package dev.realtime.core.interview;

import dev.realtime.core.Arguments;
import dev.realtime.core.Client;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Timestamps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code transcription:request} → {@code transcription:processing}, partial and final {@code transcription:result}
 * and then {@code responses:suggestions} to the session's members on every node, or {@code transcription:error} to
 * the requester. The transcriber and suggester run on the gateway's bounded worker pool, never on the handler
 * thread; a full queue answers {@code busy}. Thread-safe.
 */
final class Transcriptions {
    private static final Logger log = LoggerFactory.getLogger(Transcriptions.class);

    private final RealtimeHub hub;
    private final Sessions sessions;
    private final Transcriber transcriber;
    private final Suggester suggester;
    private final ExecutorService workers;
    private final int maxBytes;

    Transcriptions(RealtimeHub hub, Sessions sessions, Transcriber transcriber, Suggester suggester,
                   ExecutorService workers, int maxBytes) {
        this.hub = hub;
        this.sessions = sessions;
        this.transcriber = transcriber;
        this.suggester = suggester;
        this.workers = workers;
        this.maxBytes = maxBytes;
    }

    Map<String, Object> request(Client client, Arguments args) {
        AudioInput in = AudioInput.parse("transcription:request", args, maxBytes);
        Sessions.State s = sessions.of(client, in.sessionId());
        String id = "tr-" + UUID.randomUUID().toString().substring(0, 13);
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("sessionId", s.id);
        base.put("transcriptionId", id);
        if (in.requestId() != null) {
            base.put("requestId", in.requestId());
        }
        base.put("userId", AudioRelay.userOf(client));
        base.put("transcriber", transcriber.name());
        transcriber.unavailableReason().ifPresent(why -> {
            throw new InterviewException("unavailable", why);
        });
        sessions.touch(s);
        // announced before the work is queued, so that no result can overtake it
        emit(s, "transcription:processing", base, Map.of("timestamp", now()));
        try {
            workers.execute(() -> run(client, s, in.clip(), base));
        } catch (RejectedExecutionException e) {
            throw new InterviewException("busy", "too many transcriptions waiting; try again shortly");
        }
        Map<String, Object> ack = new LinkedHashMap<>(base);
        ack.put("status", "processing");
        return ack;
    }

    private void run(Client requester, Sessions.State s, AudioClip clip, Map<String, Object> base) {
        AtomicInteger partials = new AtomicInteger();
        Transcript t;
        try {
            t = transcriber.transcribe(clip, text -> emit(s, "transcription:result", base, Map.of("text", text,
                    "isFinal", false, "partial", partials.incrementAndGet(), "timestamp", now())));
        } catch (InterviewException e) {
            fail(requester, base, e.reason(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.warn("transcription {} failed", base.get("transcriptionId"), e);
            fail(requester, base, "failed", "transcription failed");
            return;
        }
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("text", t.text());
        fin.put("isFinal", true);
        fin.put("partials", partials.get());
        if (t.confidence() != null) {
            fin.put("confidence", t.confidence());
        }
        fin.put("timestamp", now());
        emit(s, "transcription:result", base, fin);
        s.transcriptions.increment();
        sessions.transcriptions.increment();
        if (suggester != null && !t.text().isBlank()) {
            suggest(s, base, t.text());
        }
    }

    private void suggest(Sessions.State s, Map<String, Object> base, String text) {
        Suggestions items;
        try {
            items = suggester.suggest(s.id, text);
        } catch (RuntimeException e) {
            log.warn("suggestions for {} failed: {}", base.get("transcriptionId"), e.toString());
            return;
        }
        if (items.items().isEmpty()) {
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", s.id);
        out.put("transcriptionId", base.get("transcriptionId"));
        out.put("forText", text);
        out.put("suggestions", items.items());
        out.put("source", items.source());
        out.put("timestamp", now());
        hub.to(Sessions.room(s.id)).emit("responses:suggestions", out);
        sessions.suggestions.increment();
    }

    private void fail(Client requester, Map<String, Object> base, String code, String message) {
        sessions.transcriptionFailures.increment();
        Map<String, Object> err = new LinkedHashMap<>(base);
        err.put("code", code);
        err.put("message", message);
        err.put("timestamp", now());
        requester.emit("transcription:error", err);
    }

    private void emit(Sessions.State s, String event, Map<String, Object> base, Map<String, Object> extra) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        out.putAll(extra);
        try {
            hub.to(Sessions.room(s.id)).emit(event, out);
        } catch (RuntimeException e) {
            log.warn("{} for session {} could not be published: {}", event, s.id, e.toString());
        }
    }

    private String now() {
        return Timestamps.format(hub.clock().instant());
    }
}
