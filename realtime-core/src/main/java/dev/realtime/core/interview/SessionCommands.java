package dev.realtime.core.interview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.Client;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Timestamps;
import dev.realtime.core.history.HistoryEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session requests of {@link InterviewGateway}: join (the access rule, then the hub's authorized subscribe to
 * {@code session:{id}}, which brings presence), leave, and status updates kept in the shared history store.
 * Called on the client's handler thread. Stateless apart from {@link Sessions}; thread-safe.
 */
final class SessionCommands {
    private final RealtimeHub hub;
    private final Sessions sessions;
    private final SessionAccess access;
    private final Set<String> statuses;

    SessionCommands(RealtimeHub hub, Sessions sessions, SessionAccess access, Set<String> statuses) {
        this.hub = hub;
        this.sessions = sessions;
        this.access = access;
        this.statuses = Set.copyOf(statuses);
    }

    private static String validId(String sessionId) {
        if (sessionId == null || sessionId.isBlank() || !RealtimeHub.validRoom(Sessions.room(sessionId))) {
            throw new InterviewException("bad_request", "a valid sessionId is required (letters, digits, :_-./@)");
        }
        return sessionId;
    }

    Object join(Client client, InterviewGateway.SessionRef req) {
        String id = validId(req == null ? null : req.sessionId());
        if (!access.mayJoin(client.principal(), id, hub.requiresAuthentication())) {
            throw new InterviewException("forbidden", "not a participant of session " + id);
        }
        try {
            client.subscribe(Sessions.room(id), null);
        } catch (RealtimeException e) {
            if (e.code() == dev.realtime.core.ErrorCode.FORBIDDEN) {
                throw new InterviewException("forbidden", "the hub's room rules refuse " + Sessions.room(id)
                        + ": build the hub with allowRooms(SessionAccess.PREFIX, access)");
            }
            throw e;
        }
        sessions.joined(id, client);
        if (!client.isOpen()) {
            sessions.gone(client); // it went away while joining: its disconnect listener may have run already
        }
        List<HistoryEntry> history = sessions.recent(Sessions.statusStream(id), 20);
        List<JsonNode> statusHistory = new ArrayList<>();
        for (HistoryEntry e : history) {
            statusHistory.add(json(e.data()));
        }
        Map<String, Object> joined = new LinkedHashMap<>();
        joined.put("sessionId", id);
        joined.put("userId", AudioRelay.userOf(client));
        joined.put("participants", hub.presence(Sessions.room(id)));
        joined.put("status", statusHistory.isEmpty() ? null : statusHistory.get(statusHistory.size() - 1));
        joined.put("statusHistory", statusHistory);
        joined.put("timestamp", now());
        client.emit("session:joined", joined);
        return joined;
    }

    Object leave(Client client, InterviewGateway.SessionRef req) {
        String id = validId(req == null ? null : req.sessionId());
        client.leave(Sessions.room(id));
        sessions.left(id, client);
        Map<String, Object> left = new LinkedHashMap<>();
        left.put("sessionId", id);
        left.put("reason", "left");
        left.put("timestamp", now());
        client.emit("session:left", left);
        return left;
    }

    Object status(Client client, InterviewGateway.StatusUpdate req) {
        if (req == null || req.status() == null || !statuses.contains(req.status())) {
            throw new InterviewException("invalid_status", "status must be one of " + new java.util.TreeSet<>(statuses));
        }
        Sessions.State s = sessions.of(client, req.sessionId());
        String stream = Sessions.statusStream(s.id);
        List<HistoryEntry> last = sessions.recent(stream, 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", s.id);
        out.put("status", req.status());
        out.put("previous", last.isEmpty() ? null : json(last.get(0).data()).path("status").asText(null));
        out.put("userId", AudioRelay.userOf(client));
        out.put("message", req.message() == null ? null : req.message().substring(0, Math.min(500,
                req.message().length())));
        out.put("timestamp", now());
        hub.historyStore().append(stream, "session:status:updated", hub.mapper().valueToTree(out).toString(),
                hub.clock().instant());
        hub.to(Sessions.room(s.id)).emit("session:status:updated", out);
        sessions.touch(s);
        return out;
    }

    JsonNode json(String data) {
        try {
            return hub.mapper().readTree(data);
        } catch (java.io.IOException e) {
            return hub.mapper().getNodeFactory().textNode(data);
        }
    }

    private String now() {
        return Timestamps.format(hub.clock().instant());
    }
}
