package dev.realtime.jakarta.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds every connection of the standalone server to {@link ServerLimits}: request heads must arrive within the
 * header timeout (slowloris), keep-alive connections may idle only for the idle timeout, request bodies must keep
 * a minimum rate (slow uploads), and once upgraded, every client frame must be masked (RFC 6455 §5.1; an unmasked
 * frame gets a close frame {@code 1002} and the connection is closed), and no message may go past its path's size
 * limit: the frame that takes it past is refused from its header with a close frame {@code 1009}, and the connection
 * is closed only after the client's close frame (or {@link #CLOSE_LINGER_NANOS}), its bytes read and dropped
 * meanwhile, so that the client reads the 1009 instead of a reset. No frame follows such a close frame of the server's
 * own: later writes of the hub and of the WebSocket layer are dropped ({@link #closeOwn}). Upgraded
 * connections are otherwise left to the WebSocket layer and its heartbeats.
 *
 * <p>Two Grizzly filters share one state per connection: {@link #rawAddOn()} sits right after the transport (it
 * sees accepts and raw reads), {@link #httpAddOn()} right after the HTTP codec (it sees request heads, bodies and
 * the responses written). A sweep on the server's scheduler (every 200 ms) closes the connections past a deadline.
 *
 * <p>Thread-safety: state fields are volatile and written by the connection's own read/write path; the sweep only
 * reads them and closes.
 */
final class ConnectionGuard {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private static final int HEADERS = 0;
    private static final int REQUEST = 1;
    private static final int HANDLING = 2;
    private static final int IDLE = 3;
    private static final int UPGRADING = 4;
    private static final int UPGRADED = 5;
    /** Past an oversized message: our close 1009 is out, the client's bytes are read and dropped until its close. */
    private static final int DRAINING = 6;
    private static final int CLOSING = 7;
    /** How long a draining connection waits for the client's close frame before it is closed anyway. */
    static final long CLOSE_LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<State> PHASE =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(State.class, "phase");

    private final ServerLimits limits;
    private final LongSupplier nanos;
    private final ToIntFunction<String> messageLimit;
    /**
     * Name of the connection attribute that holds the guard's state; the hub's direct writer reads it once per
     * connection as a {@link BooleanSupplier}: true once the server's own close frame is out ({@code GrizzlyDirect}).
     */
    static final String STATE_ATTRIBUTE = "dev.realtime.guard"; // = GrizzlyDirect.GUARD_STATE (another package)
    private final Attribute<State> stateAttr = Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(STATE_ATTRIBUTE);
    private final Set<State> states = ConcurrentHashMap.newKeySet();
    final LongAdder headerTimeouts = new LongAdder();
    final LongAdder idleTimeouts = new LongAdder();
    final LongAdder slowBodies = new LongAdder();
    final LongAdder unmaskedFrames = new LongAdder();
    final LongAdder tooLargeHeads = new LongAdder();
    private static final byte[] TOO_LARGE_HEAD = ("HTTP/1.1 431 Request Header Fields Too Large\r\n"
            + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: 84\r\n\r\n"
            + "{\"error\":{\"code\":\"too_large\",\"message\":\"request line and headers exceed the limit\"}}")
            .getBytes(StandardCharsets.US_ASCII);

    /**
     * @param messageLimit largest inbound WebSocket message in bytes for an upgrade request's path (0: not
     *                     enforced here, the WebSocket layer's own limit applies)
     */
    ConnectionGuard(ServerLimits limits, LongSupplier nanos, ToIntFunction<String> messageLimit) {
        this.limits = limits;
        this.nanos = nanos;
        this.messageLimit = messageLimit;
    }

    /** Starts the deadline sweep on {@code scheduler} (owned by the caller). */
    void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::sweep, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Open connections the guard tracks. */
    int tracked() {
        return states.size();
    }

    /**
     * Registers what to do when the current request body of {@code connection} is too slow (answer 408 and
     * close); without it the connection is just closed. Cleared when the body is complete.
     */
    void onSlowBody(Connection<?> connection, Runnable action) {
        State s = stateAttr.get(connection);
        if (s != null) {
            s.onSlowBody = action;
        }
    }

    AddOn rawAddOn() {
        return new AddOn() {
            @Override
            public void setup(NetworkListener listener, FilterChainBuilder builder) {
                int transport = builder.indexOfType(TransportFilter.class);
                builder.add(transport + 1, new Raw());
            }
        };
    }

    AddOn httpAddOn() {
        return new AddOn() {
            @Override
            public void setup(NetworkListener listener, FilterChainBuilder builder) {
                int codec = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
                builder.add(codec + 1, new Http());
            }
        };
    }

    private State state(Connection<?> c) {
        State s = stateAttr.get(c);
        if (s == null) {
            State created = new State(c, nanos.getAsLong());
            stateAttr.set(c, created);
            states.add(created);
            c.addCloseListener((Connection.CloseListener) (closed, type) -> states.remove(created));
            if (!c.isOpen()) {
                states.remove(created);
            }
            s = created;
        }
        return s;
    }

    private void sweep() {
        try {
            long now = nanos.getAsLong();
            for (State s : states) {
                long elapsed = now - s.since;
                switch (s.phase) {
                    case HEADERS -> {
                        if (elapsed > limits.headerTimeout().toNanos()) {
                            headerTimeouts.increment();
                            log.debug("closing {}: request head not complete within {}", s.connection.getPeerAddress(),
                                    limits.headerTimeout());
                            s.connection.closeSilently();
                        }
                    }
                    case IDLE -> {
                        if (elapsed > limits.idleTimeout().toNanos()) {
                            idleTimeouts.increment();
                            s.connection.closeSilently();
                        }
                    }
                    case REQUEST -> {
                        long grace = limits.bodyGrace().toNanos();
                        if (elapsed > grace && s.bodyBytes * 1_000_000_000L
                                < (long) limits.bodyMinBytesPerSecond() * elapsed) {
                            slowBodies.increment();
                            s.phase = HANDLING; // answered once
                            Runnable action = s.onSlowBody;
                            if (action != null) {
                                action.run();
                            } else {
                                s.connection.closeSilently();
                            }
                        }
                    }
                    case DRAINING -> {
                        if (elapsed > CLOSE_LINGER_NANOS) {
                            finishTooBig(s);
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("connection guard sweep failed: {}", e.toString());
        }
    }

    /**
     * Per-connection state; written on the connection's I/O path, read by the sweep. As a {@link BooleanSupplier} it
     * answers whether the server's own close frame is out (read by the hub's writer, on any thread).
     */
    private static final class State implements BooleanSupplier {
        final Connection<?> connection;
        /** The close frame the server wrote itself, set before it goes out; never cleared. */
        volatile Buffer ownClose;
        volatile int phase = HEADERS;
        volatile long since;
        volatile long bodyBytes;
        volatile Runnable onSlowBody;
        /** Bytes of the current request head seen so far, and the CRLFCRLF matcher state; read path only. */
        int headBytes;
        int headMatch;
        boolean headDone;
        /** Frame scanner of an upgraded connection; touched by its read path only. */
        FrameScanner frames;
        /** Reads straight to Tyrus once upgraded (null: not yet, or not possible); set by the read path. */
        volatile UpgradedReads direct;
        boolean directTried;

        State(Connection<?> connection, long now) {
            this.connection = connection;
            this.since = now;
        }

        @Override
        public boolean getAsBoolean() {
            return ownClose != null;
        }

        void enter(int phase, long now) {
            this.since = now;
            this.phase = phase;
            if (phase == HEADERS) {
                headBytes = 0;
                headMatch = 0;
                headDone = false;
            }
        }
    }

    /**
     * Right after the transport: new connections and the first bytes of a keep-alive request; writes after the
     * server's own close frame are dropped here.
     */
    private final class Raw extends BaseFilter {
        @Override
        public NextAction handleAccept(FilterChainContext ctx) throws IOException {
            state(ctx.getConnection());
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            State s = stateAttr.get(ctx.getConnection());
            return s != null && FilterWrites.droppedAfter(ctx, s.ownClose) ? ctx.getStopAction()
                    : ctx.getInvokeAction();
        }

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            State s = state(ctx.getConnection());
            if (s.phase == UPGRADED && ctx.getMessage() instanceof Buffer b) {
                if (!s.directTried) {
                    s.directTried = true;
                    s.direct = UpgradedReads.attach(ctx.getConnection());
                }
                if (s.direct != null) {
                    // past the HTTP codec (whose per-connection state is dropped) straight to Tyrus
                    readUpgraded(ctx, s, b);
                    return ctx.getStopAction();
                }
            } else if (s.phase >= DRAINING && ctx.getMessage() instanceof Buffer b) {
                readUpgraded(ctx, s, b);
                return ctx.getStopAction();
            }
            if (s.phase == IDLE) {
                s.enter(HEADERS, nanos.getAsLong());
            }
            if (s.phase == HEADERS && !s.headDone && ctx.getMessage() instanceof Buffer b && !headFits(s, b)) {
                FilterWrites.thenClose(ctx, Buffers.wrap(ctx.getMemoryManager(), TOO_LARGE_HEAD));
                return ctx.getStopAction();
            }
            return ctx.getInvokeAction();
        }

        /**
         * One read of an upgraded connection: passed on to Tyrus, unless a message goes past its limit. Then the
         * bytes of the frames before it still go to Tyrus, the client gets a close frame {@code 1009}, and later
         * bytes are dropped until the client's close frame (or {@link #CLOSE_LINGER_NANOS}): only then is Tyrus told
         * to close. Closing at once, with the rest of the oversized message still arriving, would make the kernel
         * answer with a reset, which can destroy the close frame before the client reads it (a client then sees
         * 1006, not 1009).
         */
        private void readUpgraded(FilterChainContext ctx, State s, Buffer b) {
            boolean wasDraining = s.frames.draining();
            int cut = s.frames.scan(b);
            if (cut == FrameScanner.UNMASKED) {
                unmaskedFrames.increment();
                closeProtocolError(ctx, s);
                return;
            }
            if (wasDraining) {
                // dropped: the client is told, and Tyrus has all it gets
            } else if (cut >= 0) {
                if (cut > b.position()) {
                    s.direct.read(b.slice(b.position(), cut)); // the complete frames before the oversized one
                }
                s.enter(DRAINING, nanos.getAsLong());
                closeOwn(ctx, s, FilterWrites.closeFrame(1009, "message too large"), false);
            } else {
                s.direct.read(b);
            }
            if (s.frames.closeSeen()) {
                finishTooBig(s);
            }
        }

        /** Counts head bytes up to the blank line; false once they exceed the limit (answered 431). */
        private boolean headFits(State s, Buffer b) {
            int limit = limits.maxHeaderBytes();
            for (int i = b.position(); i < b.limit(); i++) {
                byte c = b.get(i);
                s.headBytes++;
                int m = s.headMatch;
                s.headMatch = (c == '\r' && (m == 0 || m == 2)) || (c == '\n' && (m == 1 || m == 3)) ? m + 1 : 0;
                if (s.headMatch == 4) {
                    s.headDone = true;
                    return true;
                }
                if (s.headBytes > limit) {
                    tooLargeHeads.increment();
                    return false;
                }
            }
            return true;
        }
    }

    /** Right after the HTTP codec: request heads and bodies, responses, and frames once upgraded. */
    private final class Http extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (!(ctx.getMessage() instanceof HttpContent content)) {
                return ctx.getInvokeAction();
            }
            State s = state(ctx.getConnection());
            int phase = s.phase;
            if (phase == UPGRADED) {
                if (s.frames.scan(content.getContent()) == FrameScanner.UNMASKED) {
                    unmaskedFrames.increment();
                    closeProtocolError(ctx, s);
                    return ctx.getStopAction();
                }
                return ctx.getInvokeAction();
            }
            if (phase == HEADERS || phase == IDLE) {
                HttpHeader header = content.getHttpHeader();
                boolean upgrade = header instanceof HttpRequestPacket r && "websocket".equalsIgnoreCase(r.getUpgrade());
                s.bodyBytes = 0;
                s.onSlowBody = null;
                if (upgrade) {
                    s.frames = new FrameScanner(messageLimit.applyAsInt(((HttpRequestPacket) header).getRequestURI()));
                }
                s.enter(upgrade ? UPGRADING : REQUEST, nanos.getAsLong());
                phase = s.phase;
            }
            if (phase == REQUEST) {
                s.bodyBytes += content.getContent().remaining();
                if (content.isLast()) {
                    s.onSlowBody = null;
                    s.enter(HANDLING, nanos.getAsLong());
                }
            }
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            Object msg = ctx.getMessage();
            State s = stateAttr.get(ctx.getConnection());
            if (s == null || s.phase >= UPGRADED) {
                return ctx.getInvokeAction();
            }
            HttpHeader header = msg instanceof HttpContent c ? c.getHttpHeader()
                    : msg instanceof HttpHeader h ? h : null;
            if (header instanceof HttpResponsePacket response) {
                if (response.getStatus() == 101) {
                    s.enter(UPGRADED, nanos.getAsLong());
                } else if (msg instanceof HttpContent c && c.isLast() && s.phase != REQUEST) {
                    s.enter(IDLE, nanos.getAsLong());
                }
            }
            return ctx.getInvokeAction();
        }
    }

    /** Tells Tyrus, once, that a draining connection is done: it closes it and its endpoint sees 1009. */
    private static void finishTooBig(State s) {
        if (PHASE.compareAndSet(s, DRAINING, CLOSING)) {
            s.direct.closeTooBig(); // only the direct read path drains
        }
    }

    /** Answers an unmasked client frame with a close frame 1002 and closes. */
    private static void closeProtocolError(FilterChainContext ctx, State s) {
        closeOwn(ctx, s, FilterWrites.closeFrame(1002, "unmasked client frame"), true);
    }

    /**
     * Writes the server's own close frame {@code frame} from a filter of an upgraded connection, and closes the
     * connection once it is out when {@code thenClose}. The frame is recorded in {@code s} first, so that no other
     * write follows it: the hub's are dropped in {@code GrizzlyDirect}, the WebSocket layer's (its own close frame,
     * later) in {@link Raw#handleWrite}.
     */
    private static void closeOwn(FilterChainContext ctx, State s, Buffer frame, boolean thenClose) {
        s.ownClose = frame;
        if (thenClose) {
            FilterWrites.thenClose(ctx, frame);
        } else {
            ctx.write(null, frame, null, (org.glassfish.grizzly.asyncqueue.MessageCloner) null);
        }
    }
}
