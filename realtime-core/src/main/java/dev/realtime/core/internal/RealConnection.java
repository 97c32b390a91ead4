package dev.realtime.core.internal;

import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transport connection: its single writer ({@link OutboundQueue}), its protocol session, and its lifecycle.
 * Inbound frames arrive one at a time from the adapter; outbound frames from any thread go through the queue.
 */
public final class RealConnection implements ConnectionHandle, OutboundQueue.Owner {
    private static final Logger log = LoggerFactory.getLogger(RealConnection.class);

    final HubEngine engine;
    final String id;
    final Transport transport;
    final Handshake handshake;
    final OutboundQueue queue;
    private static final java.lang.invoke.VarHandle CLOSED;
    private static final java.lang.invoke.VarHandle OVERFLOWING;
    private static final java.lang.invoke.VarHandle REASON;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            CLOSED = l.findVarHandle(RealConnection.class, "closed", boolean.class);
            OVERFLOWING = l.findVarHandle(RealConnection.class, "overflowing", boolean.class);
            REASON = l.findVarHandle(RealConnection.class, "reason", dev.realtime.core.DisconnectReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Set once (CAS) when the connection closes. */
    private volatile boolean closed;
    private ProtocolSession session;
    /** Clock millis of the last inbound frame. */
    volatile long lastInbound;
    volatile String userId;
    /** The authenticated principal, once known. */
    volatile dev.realtime.core.security.Principal principal;
    /** Inbound rate limit; inbound thread only. */
    private final dev.realtime.core.security.TokenBucket inboundBucket;
    private int rejectedInbound;
    final long openedAt;
    final String remoteIp;
    /** Set on the reading thread once a close for abuse or size is queued: later frames are not taken in. */
    private volatile boolean closing;
    /** Inbound frames of this connection, in order, off the container thread. */
    private final SerialExecutor inboundSerial;
    /** Application handlers of this connection, in order (separate, so a handler waiting for an ack lets it in). */
    final SerialExecutor handlerSerial;

    RealConnection(HubEngine engine, String id, Transport transport, int queueCapacity) {
        this.engine = engine;
        this.id = id;
        this.transport = transport;
        this.handshake = transport.handshake();
        this.queue = new OutboundQueue(transport, this, queueCapacity, engine.settings.sendQueueBytes(),
                engine.settings.conflateAfter(), engine.writer, engine.wire);
        this.lastInbound = engine.clock.millis();
        this.openedAt = lastInbound;
        this.remoteIp = engine.admission.clientAddress(handshake);
        this.inboundSerial = new SerialExecutor(engine.handlers.executor());
        this.handlerSerial = new SerialExecutor(engine.handlers.executor());
        this.inboundBucket = new dev.realtime.core.security.TokenBucket(engine.clock,
                engine.limits.messageBurst(), engine.limits.messagesPerSecond());
    }

    /**
     * Authenticates this connection with a token (first time or refresh). A refresh must be for the same user.
     *
     * @throws dev.realtime.core.RealtimeException unauthorized, forbidden (another user) or rate_limited (too
     *     many connections for the user)
     * @see Admission#authenticate
     */
    dev.realtime.core.security.Principal authenticate(String token) {
        return engine.admission.authenticate(this, token);
    }

    /** True when the connection may act: no authenticator, or authenticated. */
    boolean authenticated() {
        return engine.authenticator == null || principal != null;
    }

    /** Takes an inbound-rate token; on failure tells the client and closes on sustained abuse. */
    private boolean admit() {
        if (inboundBucket.tryTake()) {
            return true;
        }
        engine.counters.rateLimited.increment();
        // answered in order with the frames admitted before, so their replies go out ahead of the refusal
        if (++rejectedInbound >= engine.limits.abuseThreshold()) {
            engine.counters.abuseCloses.increment();
            closing = true;
            inboundSerial.execute(() -> close(1008, "rate limit exceeded repeatedly"));
        } else {
            inboundSerial.execute(() -> session.rejected(dev.realtime.core.ErrorCode.RATE_LIMITED,
                    "too many messages: limit is " + engine.limits.messagesPerSecond() + "/s"));
        }
        return false;
    }

    /** The tail of this connection's client-registry calls; guarded by this. */
    private java.util.concurrent.CompletableFuture<Void> registryCalls = RegistryMirror.NO_CALLS;

    /**
     * Runs a client-registry call for this connection on the hub's registry executor, after the previous ones
     * (register before subscribe before remove); a failing registry is logged and never affects the connection.
     */
    void mirror(Runnable call) {
        synchronized (this) {
            registryCalls = RegistryMirror.after(registryCalls, call, engine.registryExecutor);
        }
    }

    void attach(ProtocolSession session) {
        this.session = session;
    }

    /**
     * Greets the client: on the connection's serial executor, before any frame it sends is handled and off the
     * container's thread (a token in the handshake is verified there, which may fetch a JWKS).
     */
    void open() {
        inboundSerial.execute(() -> handleSafely(session::onOpen));
    }

    @Override
    public String id() {
        return id;
    }

    public Handshake handshake() {
        return handshake;
    }

    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Queues a frame for this connection; false when closed or over the hard bound. */
    boolean send(Frame frame) {
        return !closed && queue.offer(frame);
    }

    @Override
    public void onText(String text) {
        inbound(Utf8.lengthOver(text, engine.settings.maxFrameBytes()), () -> session.onText(text));
    }

    @Override
    public void onBinary(ByteBuffer data) {
        inbound(data.remaining() > engine.settings.maxFrameBytes(), () -> session.onBinary(data));
    }

    /** One inbound frame: size check (1009), rate limit, then the protocol; nothing escapes to the adapter. */
    private void inbound(boolean tooLarge, Runnable handle) {
        if (closed || closing) {
            return;
        }
        lastInbound = engine.clock.millis();
        engine.counters.messagesIn.increment();
        if (tooLarge) {
            engine.counters.protocolErrors.increment();
            closing = true;
            inboundSerial.execute(() -> close(1009, "frame too large"));
            return;
        }
        if (!admit()) {
            return;
        }
        // the protocol work (history reads, token checks, connect listeners) leaves the container's I/O thread,
        // and frames of one connection are handled in the order they arrived
        inboundSerial.execute(() -> handleSafely(handle));
    }

    private void handleSafely(Runnable handle) {
        if (closed) {
            return;
        }
        try {
            handle.run();
        } catch (RuntimeException e) {
            log.error("connection {}: unexpected failure handling a frame", id, e);
            close(1011, "internal error");
        }
    }

    @Override
    public void onClose(int code, String reason) {
        reason(dev.realtime.core.DisconnectReason.TRANSPORT_CLOSE);
        cleanup();
    }

    @Override
    public void onError(Throwable error) {
        log.debug("connection {}: transport error: {}", id, error.toString());
        reason(dev.realtime.core.DisconnectReason.TRANSPORT_ERROR);
        close(1011, "transport error");
    }

    /** Closes the transport and cleans up. Idempotent. */
    public void close(int code, String reason) {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        reason(inferred(code));
        // frames already queued (an error explaining this close, say) go out first, within a bound
        AtomicBoolean done = new AtomicBoolean();
        Runnable closeTransport = () -> {
            if (done.compareAndSet(false, true)) {
                closeTransport(code, reason);
            }
        };
        queue.closeAfterDrain(closeTransport);
        engine.later(closeTransport, CLOSE_FLUSH_MILLIS);
        cleanupClosed();
    }

    /** Closes at once, discarding queued frames (the client is too slow, or the transport failed). */
    void abort(int code, String reason) {
        if (CLOSED.compareAndSet(this, false, true)) {
            reason(inferred(code));
            queue.close();
            cleanupClosed();
            closeTransport(code, reason);
        }
    }

    private void closeTransport(int code, String reason) {
        try {
            transport.close(code, reason);
        } catch (RuntimeException e) {
            log.debug("connection {}: close failed: {}", id, e.toString());
        }
    }

    /** How long a close waits for queued frames to be written. */
    static final long CLOSE_FLUSH_MILLIS = 2_000;

    /** The transport closed by itself: leaves all rooms and unregisters, once. */
    private void cleanup() {
        if (CLOSED.compareAndSet(this, false, true)) {
            queue.close();
            cleanupClosed();
        }
    }

    /** Leaves all rooms and unregisters; the caller has set {@code closed}. */
    private void cleanupClosed() {
        try {
            if (session != null) {
                session.onClose();
            }
        } catch (RuntimeException e) {
            log.warn("connection {}: failure while closing session", id, e);
        }
        engine.connections.unregister(this);
    }

    void tick(long nowMillis, long nowNanos) {
        if (closed) {
            return;
        }
        if (queue.overBoundNanos(nowNanos) > engine.settings.slowConsumerTimeout().toNanos()) {
            overflow("slow consumer: send queue over " + engine.settings.sendQueueCapacity() + " frames for "
                    + engine.settings.slowConsumerTimeout().toMillis() + " ms");
            return;
        }
        dev.realtime.core.security.Principal p = principal;
        if (p != null && p.expiresAt() != null && nowMillis > p.expiresAt().toEpochMilli()) {
            session.rejected(dev.realtime.core.ErrorCode.UNAUTHORIZED, "token expired");
            close(1008, "token expired");
            return;
        }
        if (engine.authenticator != null && p == null
                && nowMillis - openedAt > engine.limits.authTimeout().toMillis()) {
            close(1008, "authentication timeout");
            return;
        }
        session.onTick(nowMillis);
    }

    /** The peers on this connection (none before the session is attached). */
    java.util.Collection<Peer> peers() {
        ProtocolSession s = session;
        return s == null ? java.util.List.of() : s.peers();
    }

    /** Why this connection closed, once known; the first reason set wins. */
    @SuppressWarnings("unused") // through REASON
    private volatile dev.realtime.core.DisconnectReason reason;

    /** Records why the connection is closing, unless a reason is already known. */
    void reason(dev.realtime.core.DisconnectReason r) {
        REASON.compareAndSet(this, null, r);
    }

    /** Why the connection closed ({@code transport close} when nothing else was recorded). */
    dev.realtime.core.DisconnectReason reason() {
        dev.realtime.core.DisconnectReason r = reason;
        return r == null ? dev.realtime.core.DisconnectReason.TRANSPORT_CLOSE : r;
    }

    /** The reason a server-side close with this WebSocket code means, when none was recorded before. */
    private static dev.realtime.core.DisconnectReason inferred(int code) {
        return switch (code) {
            case 1001 -> dev.realtime.core.DisconnectReason.PING_TIMEOUT;
            case 1002, 1003, 1007, 1009 -> dev.realtime.core.DisconnectReason.PARSE_ERROR;
            default -> dev.realtime.core.DisconnectReason.FORCED_CLOSE;
        };
    }

    void broadcast(OutboundEvent event) {
        if (!closed) {
            session.broadcast(event);
        }
    }

    int queued() {
        return queue.size();
    }

    @Override
    public void sent(int frames) {
        engine.counters.messagesOut.add(frames);
    }

    @Override
    public long nanoTime() {
        return engine.ticker.getAsLong();
    }

    @Override
    public void conflated() {
        engine.counters.conflated.increment();
    }

    @Override
    public void overflow(String reason) {
        if (!OVERFLOWING.compareAndSet(this, false, true)) {
            return; // the teardown is already on its way
        }
        engine.counters.slowConsumerCloses.increment();
        log.info("connection {}: closing, {}", id, reason);
        // called on the publisher's stack, possibly under a subscription's lock: the teardown (presence leave and
        // publish, close listeners, room removal) runs on its own task, never inline
        try {
            engine.background(() -> abort(1008, "slow consumer"));
        } catch (RuntimeException e) {
            abort(1008, "slow consumer"); // shutting down
        }
    }

    /** Set once (CAS) when the queue overflowed and the close is scheduled. */
    private volatile boolean overflowing;

    @Override
    public void sendFailed(Throwable failure) {
        log.debug("connection {}: send failed: {}", id, failure.toString());
        abort(1011, "send failed");
    }
}
