package dev.realtime.core.internal;

import dev.realtime.core.DisconnectReason;
import dev.realtime.core.SocketIoOptions;
import java.util.concurrent.TimeUnit;

/**
 * The Engine.IO timers of one Socket.IO session, from its {@link SocketIoOptions}, on WebSocket and polling
 * alike: a ping every {@code pingInterval} (the timer restarts when the pong arrives, as the reference server
 * does), a close ({@code ping timeout}) when no pong came within {@code pingTimeout}, and a close
 * ({@code connect timeout}) when no namespace CONNECT arrived within {@code connectTimeout} of the open packet.
 * All three are one {@link TimerWheel.Timer} in the hub's wheel, armed for the earliest pending deadline: no
 * scheduler task per session.
 *
 * <p>Threads: {@link #expired} runs on the wheel's driver and only queues a frame or starts a close; {@link #pong}
 * and {@link #connected} come from the session's inbound thread. The deadlines are guarded by {@code this};
 * nothing is sent or closed under the lock.
 */
final class EngineIoHeartbeat extends TimerWheel.Timer {
    private static final long NONE = TimerWheel.NONE;
    private final HubEngine engine;
    private final RealConnection connection;
    private final SocketIoOptions options;
    /** Deadlines in the wheel's time, or NONE; guarded by this. */
    private long pingAt = NONE;
    private long pongBy = NONE;
    private long connectBy = NONE;
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
        long now = engine.timers.now();
        connectBy = now + nanos(options.connectTimeout().toMillis());
        pingAt = now + nanos(options.pingInterval().toMillis());
        arm();
    }

    /** A namespace CONNECT succeeded: the connect timer is done. */
    synchronized void connected() {
        connectBy = NONE; // the wheel fires at the old minimum at worst, and expired() finds nothing due
    }

    /** The client answered a ping: the next ping is due {@code pingInterval} from now. Unsolicited pongs are ignored. */
    synchronized void pong() {
        if (stopped || pongBy == NONE) {
            return;
        }
        pongBy = NONE;
        pingAt = engine.timers.now() + nanos(options.pingInterval().toMillis());
        arm();
    }

    /** The session closed: disarms the timer. Idempotent. */
    synchronized void stop() {
        if (!stopped) {
            stopped = true;
            engine.timers.cancel(this);
        }
    }

    @Override
    protected void expired() {
        boolean ping = false;
        String close = null;
        synchronized (this) {
            if (stopped) {
                return;
            }
            long now = engine.timers.now();
            if (connectBy != NONE && now - connectBy >= 0) {
                close = "connect timeout";
            } else if (pongBy != NONE && now - pongBy >= 0) {
                close = "ping timeout";
            } else if (pingAt != NONE && now - pingAt >= 0) {
                pingAt = NONE;
                pongBy = now + nanos(options.pingTimeout().toMillis());
                ping = true;
            }
            if (close == null) {
                arm();
            }
        }
        if (ping) {
            connection.send(Frame.text("2"));
        } else if ("ping timeout".equals(close)) {
            engine.counters.heartbeatCloses.increment();
            connection.reason(DisconnectReason.PING_TIMEOUT);
            connection.close(1000, close);
        } else if (close != null) {
            connection.close(1000, close);
        }
    }

    /** Arms the wheel for the earliest pending deadline; caller holds the lock. */
    private void arm() {
        long next = earliest(earliest(pingAt, pongBy), connectBy);
        if (next == NONE) {
            engine.timers.cancel(this);
        } else {
            engine.timers.schedule(this, next);
        }
    }

    private static long earliest(long a, long b) {
        if (a == NONE) {
            return b;
        }
        return b == NONE || a - b < 0 ? a : b;
    }

    private static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
