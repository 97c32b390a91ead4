package dev.realtime.core;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The checks of an upgrade request after the hub admitted it (see {@link RealtimeHub#checkHandshake}): the
 * application's {@link HandshakeFilter}, then Socket.IO's Engine.IO query ({@code EIO=4},
 * {@code transport=websocket}, a known {@code sid} to upgrade), answered with Engine.IO's 400 bodies. Immutable;
 * thread-safe.
 */
final class HandshakeCheck {
    private static final String JSON = "application/json";

    /** The application's handshake check, or null. */
    private final HandshakeFilter filter;
    private final boolean socketIo;
    /** Why the polling session {@code sid} cannot be upgraded ({@code code, message}), or null when it can. */
    private final Function<String, Map.Entry<Integer, String>> upgradeRefusal;

    HandshakeCheck(HandshakeFilter filter, boolean socketIo,
            Function<String, Map.Entry<Integer, String>> upgradeRefusal) {
        this.filter = filter;
        this.socketIo = socketIo;
        this.upgradeRefusal = upgradeRefusal;
    }

    /** The answer to a refusal of the hub's admission: {@code {status, code, message}}, the message as JSON. */
    static HandshakeRejection refused(String[] refusal, String messageJson) {
        return new HandshakeRejection(Integer.parseInt(refusal[0]), JSON,
                "{\"error\":{\"code\":\"" + refusal[1] + "\",\"message\":" + messageJson + "}}");
    }

    /**
     * @param upgrade whether this is the upgrade of a polling session (not a new connection: no filter)
     */
    Optional<HandshakeRejection> check(Protocol protocol, Handshake handshake, boolean upgrade) {
        if (!upgrade && filter != null) {
            Optional<HandshakeRejection> own = filter.check(protocol, handshake);
            if (own.isPresent()) {
                return own;
            }
        }
        return protocol == Protocol.SOCKET_IO ? checkEngineIo(handshake) : Optional.empty();
    }

    private Optional<HandshakeRejection> checkEngineIo(Handshake handshake) {
        if (!socketIo) {
            return Optional.of(new HandshakeRejection(400, JSON, "{\"code\":0,\"message\":\"Transport unknown\"}"));
        }
        String transport = handshake.queryParam("transport").orElse("");
        if (!"websocket".equals(transport)) {
            return Optional.of(new HandshakeRejection(400, JSON, "{\"code\":0,\"message\":\"Transport unknown\"}"));
        }
        if (!"4".equals(handshake.queryParam("EIO").orElse(""))) {
            return Optional.of(new HandshakeRejection(400, JSON,
                    "{\"code\":5,\"message\":\"Unsupported protocol version\"}"));
        }
        Optional<String> sid = handshake.queryParam("sid");
        if (sid.isPresent()) {
            Map.Entry<Integer, String> refused = upgradeRefusal.apply(sid.get());
            if (refused != null) {
                return Optional.of(new HandshakeRejection(400, JSON,
                        "{\"code\":" + refused.getKey() + ",\"message\":\"" + refused.getValue() + "\"}"));
            }
        }
        return Optional.empty();
    }
}
