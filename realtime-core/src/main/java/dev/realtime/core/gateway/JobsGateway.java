package dev.realtime.core.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.Namespace;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.Rooms;

/**
 * Seed 002's job monitor namespace: {@code subscribe:jobs} / {@code unsubscribe:jobs} with {@code {jobId}},
 * {@code {userId}} or neither (all jobs), answered through the acknowledgement
 * {@code {success, room, message}}. Subscriptions are authorized by the hub's room rules (a job's owner, the
 * user themself, admins for all jobs) and resume with Socket.IO connection state recovery.
 *
 * <p>Stateless; handlers run on each client's serial handler executor.
 *
 * @since 0.2
 */
public final class JobsGateway {
    private JobsGateway() {
    }

    /** The {@code subscribe:jobs} payload of seed 002: a job, a user's jobs, or (neither) all jobs. */
    public record JobsSubscription(String jobId, String userId) {
        /** The room this subscription names. */
        public String room() {
            if (jobId != null && !jobId.isBlank()) {
                return Rooms.job(jobId);
            }
            if (userId != null && !userId.isBlank()) {
                return Rooms.user(userId);
            }
            return Rooms.ALL_JOBS;
        }
    }

    /** Registers the two events on {@code jobs}. */
    public static void install(Namespace jobs) {
        jobs.on("subscribe:jobs", JobsSubscription.class, (client, req) -> {
            String room = (req == null ? new JobsSubscription(null, null) : req).room();
            if (!Rooms.valid(room)) {
                return reply(false, room, "Invalid room name");
            }
            try {
                client.subscribe(room, null);
                return reply(true, room, "Subscribed to " + room);
            } catch (RealtimeException e) {
                if (e.code() == ErrorCode.FORBIDDEN) {
                    return reply(false, room, e.getMessage());
                }
                throw e;
            }
        });
        jobs.on("unsubscribe:jobs", JobsSubscription.class, (client, req) -> {
            String room = (req == null ? new JobsSubscription(null, null) : req).room();
            client.leave(room);
            return reply(true, room, "Unsubscribed from " + room);
        });
    }

    private static ObjectNode reply(boolean success, String room, String message) {
        return JsonNodeFactory.instance.objectNode().put("success", success).put("room", room)
                .put("message", message);
    }
}
