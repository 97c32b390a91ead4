package dev.realtime.core.internal;

import dev.realtime.core.Handshake;
import dev.realtime.core.PollingExchange;
import dev.realtime.core.Transport;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The transport of a Socket.IO session that opened over Engine.IO HTTP long-polling, and that may later be
 * upgraded to a WebSocket. The hub's writer sends packets to it as to any {@link Transport}; they wait in a
 * buffer until a GET takes them all (one payload, packets separated by {@code \x1e}, binary as
 * {@code b<base64>}). After the upgrade the same buffer drains, in order, onto the WebSocket, and every later
 * packet follows it there: no packet is lost or reordered by the switch.
 *
 * <p>Back-pressure: while polling, a send completes at once until {@link EngineIoServer#bufferBytes} are
 * buffered; after that completions wait for the next GET, so the hub's outbound queue (conflation,
 * slow-consumer close) takes over. On the WebSocket, completions follow the WebSocket's.
 *
 * <p>Threads: sends come from the hub's writer, GETs and POSTs from container threads, the upgrade from the
 * WebSocket's inbound thread. All state is guarded by {@code lock}; responses, sends, closes and the
 * connection's inbound handling happen after it is released.
 */
final class EngineIoTransport implements Transport {
    private enum State { POLLING, WEBSOCKET, CLOSING, CLOSED }

    final String sid;
    private final Handshake handshake;
    private final EngineIoServer server;
    private final Object lock = new Object();
    /** EngineIoPackets not yet handed to a GET or the WebSocket; guarded by lock. */
    private final ArrayDeque<EngineIoPacket> buffer = new ArrayDeque<>();
    /** Size of {@link #buffer} in chars or bytes; guarded by lock. */
    private long bufferedBytes;
    /** The GET waiting for packets, at most one; guarded by lock. */
    private PollingExchange waiting;
    /** Whether a POST is being read; guarded by lock. */
    private boolean posting;
    /** Set while the outbound queue hands over a pass of frames: a waiting GET is answered at its end. */
    private boolean holding;
    /** Guarded by lock. */
    private State state = State.POLLING;
    /** The WebSocket after the upgrade, and whether a send on it is in flight; guarded by lock. */
    private Transport webSocket;
    private boolean webSocketBusy;
    /** The hub's connection; set once, right after the hub created it. */
    volatile RealConnection connection;

    EngineIoTransport(String sid, Handshake handshake, EngineIoServer server) {
        this.sid = sid;
        this.handshake = handshake;
        this.server = server;
    }

    @Override
    public Handshake handshake() {
        return handshake;
    }

    @Override
    public void sendText(String text, SendCallback whenDone) {
        offer(new EngineIoPacket(text, null, whenDone, text.length()));
    }

    @Override
    public void sendBinary(ByteBuffer data, SendCallback whenDone) {
        offer(new EngineIoPacket(null, data, whenDone, data.remaining()));
    }

    private void offer(EngineIoPacket p) {
        boolean completeNow = false;
        boolean pump = false;
        PollingExchange get = null;
        List<EngineIoPacket> drained = null;
        synchronized (lock) {
            if (state == State.CLOSED) {
                completeNow = true;
            } else {
                boolean hold = state == State.WEBSOCKET || bufferedBytes >= server.bufferBytes();
                buffer.add(hold ? p : new EngineIoPacket(p.text(), p.binary(), null, p.size()));
                bufferedBytes += p.size();
                completeNow = !hold;
                if (state == State.WEBSOCKET) {
                    pump = true;
                } else if (waiting != null && !holding) {
                    get = waiting;
                    waiting = null;
                    drained = takeAll();
                }
            }
        }
        if (completeNow) {
            p.whenDone().done(null); // after a close the frame is dropped, as a closed WebSocket drops it
        }
        if (get != null) {
            respondPoll(get, drained, false);
        }
        if (pump) {
            pump();
        }
    }

    /**
     * The outbound queue starts a pass over its waiting frames: until {@link #releaseAnswers}, packets are buffered
     * without answering the waiting GET, so that one answer carries them all. Called on the queue's drain thread.
     *
     * @return whether the session polls (an upgraded or closed one holds nothing and needs no release)
     */
    boolean holdAnswers() {
        synchronized (lock) {
            holding = state == State.POLLING;
            return holding;
        }
    }

    /** The pass is over: the waiting GET, if any, is answered with what was buffered. Idempotent. */
    void releaseAnswers() {
        PollingExchange get = null;
        List<EngineIoPacket> drained = null;
        synchronized (lock) {
            holding = false;
            if (state == State.POLLING && waiting != null && !buffer.isEmpty()) {
                get = waiting;
                waiting = null;
                drained = takeAll();
            }
        }
        if (get != null) {
            respondPoll(get, drained, false);
        }
    }

    /** A GET with this session's sid: answers with what is buffered, or waits for the next packet. */
    void poll(PollingExchange get) {
        get.onAbort(() -> aborted(get));
        boolean overlap = false;
        boolean close = false;
        boolean wrongTransport = false;
        List<EngineIoPacket> drained = null;
        synchronized (lock) {
            switch (state) {
                case WEBSOCKET, CLOSED -> wrongTransport = true;
                case CLOSING -> {
                    drained = takeAll();
                    close = true;
                    state = State.CLOSED;
                }
                case POLLING -> {
                    if (waiting != null) {
                        overlap = true;
                    } else if (!buffer.isEmpty()) {
                        drained = takeAll();
                    } else {
                        waiting = get;
                    }
                }
            }
        }
        if (wrongTransport) {
            server.error(get, EngineIoServer.BAD_REQUEST);
        } else if (overlap) {
            server.error(get, EngineIoServer.BAD_REQUEST);
            fail("overlap from client");
        } else if (drained != null) {
            respondPoll(get, drained, close);
            if (close) {
                server.forget(this);
            }
        }
    }

    /** A POST with this session's sid: reads the payload (at most maxPayload bytes) and feeds its packets in. */
    void post(PollingExchange post) {
        boolean overlap = false;
        boolean wrongTransport = false;
        synchronized (lock) {
            if (state != State.POLLING) {
                wrongTransport = true;
            } else if (posting) {
                overlap = true;
            } else {
                posting = true;
            }
        }
        if (wrongTransport || overlap) {
            server.error(post, EngineIoServer.BAD_REQUEST);
            if (overlap) {
                fail("data request overlap from client");
            }
            return;
        }
        server.receive(this, post);
    }

    /** The POST being read is done (see {@link EngineIoServer#receive}). */
    void donePosting() {
        synchronized (lock) {
            posting = false;
        }
    }

    /** Whether a GET is held open, waiting for packets. */
    boolean waiting() {
        synchronized (lock) {
            return waiting != null;
        }
    }

    /** Whether the session still polls (not upgraded, not closed). */
    boolean polling() {
        synchronized (lock) {
            return state == State.POLLING;
        }
    }

    /** The upgrade probe arrived: a waiting GET is answered with a noop so the client can pause polling. */
    void forcePollCycle() {
        PollingExchange get = null;
        synchronized (lock) {
            if (state == State.POLLING && waiting != null && buffer.isEmpty()) {
                get = waiting;
                waiting = null;
            }
        }
        if (get != null) {
            server.respond(get, server.okPoll(get, new byte[] {'6'}));
        }
    }

    /**
     * The client sent the upgrade packet: from now on packets go to {@code ws}, starting with those still
     * buffered. HTTP requests with this sid are refused afterwards.
     *
     * @return false when the session is no longer polling (closed meanwhile)
     */
    boolean upgrade(Transport ws) {
        PollingExchange get;
        synchronized (lock) {
            if (state != State.POLLING) {
                return false;
            }
            state = State.WEBSOCKET;
            webSocket = ws;
            get = waiting;
            waiting = null;
        }
        if (get != null) {
            server.respond(get, server.okPoll(get, new byte[] {'6'}));
        }
        pump();
        return true;
    }

    /** Sends the buffer's head on the WebSocket, then the next when that completes. */
    private void pump() {
        EngineIoPacket p;
        Transport ws;
        synchronized (lock) {
            if (state != State.WEBSOCKET || webSocketBusy || buffer.isEmpty()) {
                return;
            }
            p = buffer.poll();
            bufferedBytes -= p.size();
            webSocketBusy = true;
            ws = webSocket;
        }
        SendCallback done = failure -> {
            synchronized (lock) {
                webSocketBusy = false;
            }
            if (p.whenDone() != null) {
                p.whenDone().done(failure);
            } else if (failure != null && connection != null) {
                connection.onError(failure);
            }
            if (failure == null) {
                pump();
            }
        };
        try {
            if (p.text() != null) {
                ws.sendText(p.text(), done);
            } else {
                ws.sendBinary(p.binary(), done);
            }
        } catch (RuntimeException e) {
            done.done(e);
        }
    }

    /** The upgraded WebSocket closed by itself. */
    void webSocketClosed(int code, String reason) {
        synchronized (lock) {
            state = State.CLOSED;
        }
        server.forget(this);
        RealConnection c = connection;
        if (c != null) {
            c.onClose(code, reason);
        }
    }

    /** Closed by the hub: a waiting GET gets the close packet; otherwise the next GET does, within a grace. */
    @Override
    public void close(int code, String reason) {
        PollingExchange get = null;
        List<EngineIoPacket> drained = null;
        Transport ws = null;
        boolean grace = false;
        synchronized (lock) {
            switch (state) {
                case CLOSED, CLOSING -> {
                    return;
                }
                case WEBSOCKET -> {
                    state = State.CLOSED;
                    ws = webSocket;
                }
                case POLLING -> {
                    if (waiting != null) {
                        get = waiting;
                        waiting = null;
                        drained = takeAll();
                        state = State.CLOSED;
                    } else {
                        state = State.CLOSING;
                        grace = true;
                    }
                }
            }
        }
        if (ws != null) {
            server.forget(this);
            ws.close(code, reason);
        } else if (get != null) {
            server.forget(this);
            respondPoll(get, drained, true);
        } else if (grace) {
            server.forgetLater(this);
        }
    }

    /** The grace after a close ran out without a GET: the session is forgotten. */
    void expire() {
        List<EngineIoPacket> held;
        synchronized (lock) {
            if (state != State.CLOSING) {
                return;
            }
            state = State.CLOSED;
            held = takeAll();
        }
        server.forget(this);
        EngineIoPacket.completeAll(held);
    }

    /** The client broke the polling rules or went away: the session closes (recoverably, like a network cut). */
    void fail(String reason) {
        PollingExchange get;
        List<EngineIoPacket> held;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            get = waiting;
            waiting = null;
            held = takeAll();
        }
        server.forget(this);
        if (get != null) {
            respondPoll(get, List.of(), true);
        }
        EngineIoPacket.completeAll(held);
        RealConnection c = connection;
        if (c != null) {
            c.onClose(1006, reason);
        }
    }

    private void aborted(PollingExchange get) {
        synchronized (lock) {
            if (waiting != get) {
                return;
            }
            waiting = null;
        }
        fail("poll connection closed prematurely");
    }

    /** Empties the buffer; caller holds lock. */
    private List<EngineIoPacket> takeAll() {
        List<EngineIoPacket> out = new ArrayList<>(buffer);
        buffer.clear();
        bufferedBytes = 0;
        return out;
    }

    private void respondPoll(PollingExchange get, List<EngineIoPacket> packets, boolean close) {
        server.respond(get, server.okPoll(get, EngineIoPacket.payload(packets, close)));
        EngineIoPacket.completeAll(packets);
    }
}
