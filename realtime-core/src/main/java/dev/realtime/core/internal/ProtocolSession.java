package dev.realtime.core.internal;

import java.nio.ByteBuffer;

/** The protocol state machine of one connection (native JSON or Socket.IO). Called by {@link RealConnection}. */
interface ProtocolSession {

    /** The transport is open: greet the client. */
    void onOpen();

    void onText(String text);

    void onBinary(ByteBuffer data);

    /** Periodic heartbeat check; {@code nowMillis} from the hub's clock. */
    void onTick(long nowMillis);

    /** The connection closed: leave every room. Called once. */
    void onClose();

    /** An inbound message was dropped because a limit was hit; tell the client. */
    void rejected(dev.realtime.core.ErrorCode code, String message);

    /** Delivers a hub-wide broadcast to every peer on this connection. */
    void broadcast(OutboundEvent event);

    /** The peers on this connection: the connection itself (native) or its namespace sockets (Socket.IO). */
    java.util.Collection<Peer> peers();
}
