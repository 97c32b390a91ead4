package dev.realtime.core.internal;

import dev.realtime.core.SocketIoOptions;
import java.util.concurrent.ScheduledFuture;

/**
 * The Engine.IO timers of one Socket.IO session, from its {@link SocketIoOptions}, on WebSocket and polling
 * alike: a ping every {@code pingInterval} (the timer restarts when the pong arrives, as the reference server
 * does), a close ({@code ping timeout}) when no pong came within {@code pingTimeout}, and a close
 * ({@code connect timeout}) when no namespace CONNECT arrived within {@code connectTimeout} of the open packet.
 *
 * <p>Threads: timer tasks run on the hub's scheduler and only queue a frame or start a close; {@link #pong} and
 * {@link #connected} come from the session's inbound thread. State is guarded by {@code this}; nothing is sent
 * or closed under the lock.
 */
final class EngineIoHeartbeat {
    private final HubEngine engine;
    private final RealConnection connection;
    private final SocketIoOptions options;
    /** The pending timers; guarded by this. */
    private ScheduledFuture<?> nextPing;
    private ScheduledFuture<?> pongDeadline;
    private ScheduledFuture<?> connectDeadline;
    /** Set once by {@link #stop}; guarded by this. */
    private boolean stopped;

    EngineIoHeartbeat(HubEngine engine, RealConnection connection, SocketIoOptions options) {
        this.engine = engine;
        this.connection = connection;
        this.options = options;
    }

    /** The open packet was queued: starts the ping and connect timers. */
    synchronized void start() {
        if (stopped) {
            return;
        }
        connectDeadline = engine.schedule(this::connectTimedOut, options.connectTimeout().toMillis());
        nextPing = engine.schedule(this::ping, options.pingInterval().toMillis());
    }

    /** A namespace CONNECT succeeded: the connect timer is done. */
    synchronized void connected() {
        cancel(connectDeadline);
        connectDeadline = null;
    }

    /** The client answered a ping: the next ping is due {@code pingInterval} from now. Unsolicited pongs are ignored. */
    synchronized void pong() {
        if (stopped || pongDeadline == null) {
            return;
        }
        cancel(pongDeadline);
        pongDeadline = null;
        nextPing = engine.schedule(this::ping, options.pingInterval().toMillis());
    }

    /** The session closed: cancels every timer. Idempotent. */
    synchronized void stop() {
        stopped = true;
        cancel(nextPing);
        cancel(pongDeadline);
        cancel(connectDeadline);
    }

    private void ping() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            nextPing = null;
            pongDeadline = engine.schedule(this::pingTimedOut, options.pingTimeout().toMillis());
        }
        connection.send(Frame.text("2"));
    }

    private void pingTimedOut() {
        synchronized (this) {
            if (stopped || pongDeadline == null) {
                return;
            }
        }
        engine.counters.heartbeatCloses.increment();
        connection.reason(dev.realtime.core.DisconnectReason.PING_TIMEOUT);
        connection.close(1000, "ping timeout");
    }

    private void connectTimedOut() {
        synchronized (this) {
            if (stopped || connectDeadline == null) {
                return;
            }
        }
        connection.close(1000, "connect timeout");
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
