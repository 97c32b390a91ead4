package dev.realtime.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A snapshot of one socket somewhere in the cluster, as returned by {@link BroadcastOperator#fetchSockets()}
 * (Socket.IO's {@code RemoteSocket}, as data). Act on sockets with the operator's {@code socketsJoin},
 * {@code socketsLeave} and {@code disconnectSockets}.
 *
 * @param id        the socket id
 * @param namespace the namespace it is connected to ({@code /} for native clients)
 * @param userId    the authenticated user, or {@code null}
 * @param rooms     the rooms it is in, as the application named them
 * @param data      its {@link Client#data()} as JSON (values that do not serialize are left out)
 * @param node      the node it is connected to
 * @param address   the client address
 * @since 0.2
 */
public record RemoteSocket(String id, String namespace, String userId, Set<String> rooms, JsonNode data,
                           String node, String address) {
    public RemoteSocket {
        rooms = Set.copyOf(rooms);
    }
}
