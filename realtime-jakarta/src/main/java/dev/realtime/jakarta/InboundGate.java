package dev.realtime.jakarta;

import dev.realtime.core.ConnectionHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a session's inbound messages until the hub's handle exists. Message handlers must be registered before
 * the hub is attached: the hub writes the greeting (the Engine.IO open packet) from its own writer thread, the
 * client may answer before {@code onOpen} returns, and a container with no handler registered yet closes the
 * session ("The connection has been closed" on the late {@code addMessageHandler}). Messages that arrive early
 * are replayed in order once the handle is set; afterwards they pass straight through.
 *
 * <p>Threads: {@link #text}/{@link #binary} on the container's inbound thread (one at a time), {@link #open} on
 * the {@code onOpen} thread. The lock guards only the early list; the handle is called outside it, and never by
 * two threads at once.
 */
final class InboundGate {
    /** Set once by {@link #open}; guarded by this. */
    private ConnectionHandle handle;
    /** Messages before the handle (String or ByteBuffer); guarded by this. */
    private List<Object> early = new ArrayList<>();

    void text(String text) {
        deliver(text);
    }

    void binary(ByteBuffer data) {
        deliver(data);
    }

    private void deliver(Object message) {
        ConnectionHandle h;
        synchronized (this) {
            if (handle == null) {
                early.add(message);
                return;
            }
            h = handle;
        }
        dispatch(h, message);
    }

    /** The hub attached the session: early messages are replayed, later ones pass through. */
    void open(ConnectionHandle h) {
        while (true) {
            List<Object> batch;
            synchronized (this) {
                if (early.isEmpty()) {
                    handle = h;
                    early = null;
                    return;
                }
                batch = early;
                early = new ArrayList<>();
            }
            batch.forEach(m -> dispatch(h, m));
        }
    }

    private static void dispatch(ConnectionHandle h, Object message) {
        if (message instanceof String s) {
            h.onText(s);
        } else {
            h.onBinary((ByteBuffer) message);
        }
    }
}
