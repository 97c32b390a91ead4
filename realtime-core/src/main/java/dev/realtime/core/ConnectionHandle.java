package dev.realtime.core;

import java.nio.ByteBuffer;

/**
 * The hub's side of one connection, returned by {@link RealtimeHub#connect}: the adapter feeds it every inbound
 * frame and the close. Frames of one connection must be fed one at a time (containers do this already).
 * Methods never throw: protocol errors are answered on the wire or close the connection.
 *
 * @since 0.1
 */
public interface ConnectionHandle {

    /** An inbound text frame. */
    void onText(String text);

    /** An inbound binary frame. */
    void onBinary(ByteBuffer data);

    /** The transport closed (either side); the hub leaves all rooms and forgets the connection. */
    void onClose(int code, String reason);

    /** The transport reported an error; the hub logs it and closes the connection with 1011. */
    void onError(Throwable error);

    /** The connection id. */
    String id();
}
