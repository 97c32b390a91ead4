package dev.realtime.core.interview;

import dev.realtime.core.Client;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.history.HistoryEntry;
import dev.realtime.core.history.HistoryPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one node: local members, activity, counters, and the shared parts kept in the hub's history
 * store (visible to every node sharing it): the status history ({@code interview-status:{id}}) and a throttled
 * activity mark ({@code interview-activity:{id}}, at most once a minute per session and node). Thread-safe without
 * locks (concurrent maps and adders); store I/O happens on the calling thread, never inside a map operation.
 */
final class Sessions {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);
    /** The key in {@link Client#data()} holding the ids of the sessions a client joined. */
    static final String DATA_KEY = "interview.sessions";
    private static final Duration SHARED_MARK_EVERY = Duration.ofMinutes(1);

    /** One session's state on this node. */
    static final class State {
        final String id;
        final Instant created;
        volatile Instant lastActivity;
        /** When this node last wrote the shared activity mark. */
        volatile Instant lastMark = Instant.EPOCH;
        final Map<String, Client> members = new ConcurrentHashMap<>();
        /** Next audio sequence number per sending connection. */
        final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
        final LongAdder chunks = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder transcriptions = new LongAdder();

        State(String id, Instant now) {
            this.id = id;
            this.created = now;
            this.lastActivity = now;
        }
    }

    private final RealtimeHub hub;
    private final Clock clock;
    private final Map<String, State> sessions = new ConcurrentHashMap<>();
    final LongAdder chunksRelayed = new LongAdder();
    final LongAdder bytesRelayed = new LongAdder();
    final LongAdder chunksRejected = new LongAdder();
    final LongAdder transcriptions = new LongAdder();
    final LongAdder transcriptionFailures = new LongAdder();
    final LongAdder suggestions = new LongAdder();
    final LongAdder cleanedUp = new LongAdder();

    Sessions(RealtimeHub hub) {
        this.hub = hub;
        this.clock = hub.clock();
    }

    static String room(String sessionId) {
        return SessionAccess.PREFIX + sessionId;
    }

    static String statusStream(String sessionId) {
        return "interview-status:" + sessionId;
    }

    private static String activityStream(String sessionId) {
        return "interview-activity:" + sessionId;
    }

    @SuppressWarnings("unchecked")
    static Set<String> joinedBy(Client client) {
        return (Set<String>) client.data().computeIfAbsent(DATA_KEY, k -> ConcurrentHashMap.newKeySet());
    }

    State joined(String sessionId, Client client) {
        State s = sessions.computeIfAbsent(sessionId, id -> new State(id, clock.instant()));
        s.members.put(client.id(), client);
        joinedBy(client).add(sessionId);
        touch(s);
        return s;
    }

    void left(String sessionId, Client client) {
        joinedBy(client).remove(sessionId);
        State s = sessions.get(sessionId);
        if (s != null) {
            s.members.remove(client.id());
            s.sequences.remove(client.id());
        }
    }

    /** Forgets a client that went away (its presence is handled by the hub). */
    void gone(Client client) {
        for (String id : List.copyOf(joinedBy(client))) {
            left(id, client);
        }
    }

    /**
     * The session {@code client} acts in: {@code requested} when it joined it; the only session it joined when
     * none is named.
     *
     * @throws InterviewException {@code not_joined}, or {@code bad_request} when several are joined and none named
     */
    State of(Client client, String requested) {
        Set<String> mine = joinedBy(client);
        String id = requested;
        if (id == null || id.isBlank()) {
            if (mine.size() != 1) {
                throw new InterviewException(mine.isEmpty() ? "not_joined" : "bad_request", mine.isEmpty()
                        ? "join a session first (session:join)" : "several sessions joined: name the sessionId");
            }
            id = mine.iterator().next();
        }
        State s = mine.contains(id) ? sessions.get(id) : null;
        if (s == null) {
            throw new InterviewException("not_joined", "not a member of session " + id + ": join it first");
        }
        return s;
    }

    /** Records activity now; writes the shared mark when this node has not for a minute. */
    void touch(State s) {
        Instant now = clock.instant();
        s.lastActivity = now;
        if (Duration.between(s.lastMark, now).compareTo(SHARED_MARK_EVERY) >= 0) {
            s.lastMark = now;
            try {
                hub.historyStore().append(activityStream(s.id), "activity", "{}", now);
            } catch (RuntimeException e) {
                log.warn("could not mark activity of session {}: {}", s.id, e.toString());
            }
        }
    }

    long nextSeq(State s, Client sender) {
        return s.sequences.computeIfAbsent(sender.id(), k -> new AtomicLong()).incrementAndGet();
    }

    /** The latest activity any node recorded for the session, or null. */
    private Instant sharedActivity(String sessionId) {
        HistoryEntry last = latest(activityStream(sessionId));
        return last == null ? null : last.timestamp();
    }

    private HistoryEntry latest(String stream) {
        List<HistoryEntry> last = recent(stream, 1);
        return last.isEmpty() ? null : last.get(last.size() - 1);
    }

    /** The last {@code n} entries of a stream, oldest first. */
    List<HistoryEntry> recent(String stream, int n) {
        long top = hub.historyStore().position(stream).offset();
        if (top == 0) {
            return List.of();
        }
        HistoryPage page = hub.historyStore().read(stream, Math.max(0, top - n), n);
        return page.entries();
    }

    /** Sessions idle for {@code idleAfter} on this node and, as far as the shared mark tells, on every node. */
    List<State> idle(Duration idleAfter) {
        Instant cutoff = clock.instant().minus(idleAfter);
        List<State> out = new ArrayList<>();
        for (State s : sessions.values()) {
            if (!s.lastActivity.isBefore(cutoff)) {
                continue;
            }
            Instant shared = null;
            try {
                shared = sharedActivity(s.id);
            } catch (RuntimeException e) {
                log.warn("could not read the activity of session {}: {}", s.id, e.toString());
            }
            if (shared != null && !shared.isBefore(cutoff)) {
                s.lastActivity = shared; // another node saw it live
                continue;
            }
            out.add(s);
        }
        return out;
    }

    void remove(State s) {
        sessions.remove(s.id, s);
        cleanedUp.increment();
    }

    Optional<State> get(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    Collection<State> all() {
        return sessions.values();
    }

    InterviewStats stats() {
        int members = 0;
        for (State s : sessions.values()) {
            members += s.members.size();
        }
        return new InterviewStats(sessions.size(), members, chunksRelayed.sum(), bytesRelayed.sum(),
                chunksRejected.sum(), transcriptions.sum(), transcriptionFailures.sum(), suggestions.sum(),
                cleanedUp.sum());
    }
}
