package dev.realtime.core.pushes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.PublishResult;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.Timestamps;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes the application pushes of a learning platform's frontend, each as a room event whose {@code data} is
 * exactly the payload below, routed by user id to {@code user:{userId}}:
 * <ul>
 *   <li>{@code notification {id, userId, title, message, level, data?, timestamp}} to one user
 *       ({@link #notifyUser}), or without {@code userId} to every connected client ({@link #notifyAll});</li>
 *   <li>{@code analytics_update {educatorId, updates, timestamp}}: partial updates the page merges into what it
 *       shows ({@code {...prev, ...data.updates}}) ({@link #analytics});</li>
 *   <li>{@code document_processing {documentId, userId, status, progress, message?, filename?, timestamp}}
 *       ({@link #documentProgress}).</li>
 * </ul>
 * {@code quiz_status} and {@code question_replace} are published by the quiz pipeline into the same user rooms.
 *
 * <p><b>History.</b> An event to {@code user:{id}} gets an offset (and a browser that reconnects gets what it
 * missed) when the hub keeps history for user rooms: {@code RealtimeHub.builder().historyRooms(r ->
 * r.startsWith("job:") || r.startsWith("user:"))}. {@link #notifyAll} is live only: it reaches the clients
 * connected now, on every node, and is never replayed.
 *
 * <p>Uses only the public API of {@link RealtimeHub}; an application can build the same. Thread-safe and
 * stateless; methods return once the event is in history (when kept) and queued for local clients, never waiting
 * for slow clients. They throw {@link dev.realtime.core.StoreException} when history cannot be written and
 * {@link IllegalArgumentException} for an invalid user id.
 *
 * @since 0.2
 */
public final class PushPublisher {
    public static final String NOTIFICATION = "notification";
    public static final String ANALYTICS_UPDATE = "analytics_update";
    public static final String DOCUMENT_PROCESSING = "document_processing";

    private final RealtimeHub hub;
    private final Clock clock;

    /** A publisher on {@code hub} stamping {@code timestamp} from {@code clock}. */
    public PushPublisher(RealtimeHub hub, Clock clock) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A publisher on {@code hub} stamping timestamps from the hub's clock. */
    public PushPublisher(RealtimeHub hub) {
        this(hub, hub.clock());
    }

    /** {@code notification} to every connection of {@code userId} in its user room. */
    public PublishResult notifyUser(String userId, Notification notification) {
        return hub.emitToUser(requireUser(userId, "userId"), NOTIFICATION, payload(notification, userId));
    }

    /**
     * {@code notification} (without {@code userId}) to every connected client on every node; live only.
     *
     * @return the number of local recipients
     */
    public int notifyAll(Notification notification) {
        return hub.broadcastToAll(NOTIFICATION, payload(notification, null));
    }

    /**
     * {@code analytics_update} to {@code educatorId}'s user room: {@code updates} holds only the fields that
     * changed (the page merges them).
     *
     * @param updates field name to any Jackson-serializable value; not empty
     */
    public PublishResult analytics(String educatorId, Map<String, ?> updates) {
        requireUser(educatorId, "educatorId");
        if (updates == null || updates.isEmpty()) {
            throw new IllegalArgumentException("updates must name at least one field");
        }
        ObjectNode p = hub.mapper().createObjectNode();
        p.put("educatorId", educatorId);
        JsonNode u = hub.mapper().valueToTree(updates);
        p.set("updates", u);
        p.put("timestamp", now());
        return hub.emitToUser(educatorId, ANALYTICS_UPDATE, p);
    }

    /** {@code document_processing} to {@code userId}'s user room. */
    public PublishResult documentProgress(String userId, DocumentProgress progress) {
        requireUser(userId, "userId");
        Objects.requireNonNull(progress, "progress");
        ObjectNode p = hub.mapper().createObjectNode();
        p.put("documentId", progress.documentId());
        p.put("userId", userId);
        p.put("status", progress.status());
        p.put("progress", progress.progress());
        if (progress.message() != null) {
            p.put("message", progress.message());
        }
        if (progress.filename() != null) {
            p.put("filename", progress.filename());
        }
        p.put("timestamp", now());
        return hub.emitToUser(userId, DOCUMENT_PROCESSING, p);
    }

    private ObjectNode payload(Notification n, String userId) {
        Objects.requireNonNull(n, "notification");
        ObjectNode p = hub.mapper().createObjectNode();
        p.put("id", n.id());
        if (userId != null) {
            p.put("userId", userId);
        }
        p.put("title", n.title());
        p.put("message", n.message());
        p.put("level", n.level());
        if (n.data() != null) {
            p.set("data", hub.mapper().valueToTree(n.data()));
        }
        p.put("timestamp", now());
        return p;
    }

    private String now() {
        return Timestamps.format(clock.instant());
    }

    private static String requireUser(String id, String name) {
        if (id == null || id.isBlank() || !RealtimeHub.validRoom("user:" + id)) {
            throw new IllegalArgumentException(name + " must be non-blank letters, digits or :_-./@ : " + id);
        }
        return id;
    }
}
