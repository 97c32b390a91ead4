package dev.realtime.core.interview;

import dev.realtime.core.Arguments;
import dev.realtime.core.Client;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Timestamps;
import dev.realtime.core.security.TokenBucket;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code audio:stream} → {@code audio:received} to the session's other members, on every node: validated, size
 * limited per chunk, rate limited per user (a token bucket on the hub clock shared by the user's connections on
 * this node), numbered per sender ({@code seq} 1, 2, ...) and published from the sender's serial handler thread, so
 * the other members receive a sender's chunks in the order it sent them. Thread-safe.
 */
final class AudioRelay {
    private final RealtimeHub hub;
    private final Sessions sessions;
    private final int maxChunkBytes;
    private final int burst;
    private final int perSecond;
    /** Per user on this node; emptied of users without a session by the idle cleanup. */
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    AudioRelay(RealtimeHub hub, Sessions sessions, int maxChunkBytes, int burst, int perSecond) {
        this.hub = hub;
        this.sessions = sessions;
        this.maxChunkBytes = maxChunkBytes;
        this.burst = burst;
        this.perSecond = perSecond;
    }

    static String userOf(Client client) {
        return client.userId().orElse(client.id());
    }

    /** Relays one chunk; returns the acknowledgement. */
    Map<String, Object> stream(Client client, Arguments args) {
        AudioInput in = AudioInput.parse("audio:stream", args, maxChunkBytes);
        Sessions.State s = sessions.of(client, in.sessionId());
        String user = userOf(client);
        if (!buckets.computeIfAbsent(user, u -> new TokenBucket(hub.clock(), burst, perSecond)).tryTake()) {
            throw new InterviewException("rate_limited", "more than " + perSecond + " audio chunks per second");
        }
        long seq = sessions.nextSeq(s, client);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", s.id);
        out.put("userId", user);
        out.put("seq", seq);
        out.put("audioData", in.base64() != null ? in.base64() : Base64.getEncoder().encodeToString(in.bytes()));
        out.put("format", in.format());
        out.put("sampleRate", in.sampleRate());
        out.put("bytes", in.bytes().length);
        out.put("binary", in.binary());
        out.put("timestamp", Timestamps.format(hub.clock().instant()));
        hub.to(Sessions.room(s.id)).except(client).emit("audio:received", out);
        s.chunks.increment();
        s.bytes.add(in.bytes().length);
        sessions.chunksRelayed.increment();
        sessions.bytesRelayed.add(in.bytes().length);
        sessions.touch(s);
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("status", "ok");
        ack.put("sessionId", s.id);
        ack.put("seq", seq);
        ack.put("bytes", in.bytes().length);
        return ack;
    }

    /** Drops the buckets of users with no session on this node. */
    void prune(java.util.Set<String> activeUsers) {
        buckets.keySet().retainAll(activeUsers);
    }
}
