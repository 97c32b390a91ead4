package dev.realtime.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.broker.Envelope;
import dev.realtime.core.history.RecoverySession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket.IO connection state recovery for one {@link SocketIoSession}: finds the session a CONNECT with
 * {@code pid}/{@code offset} asks for, and restores its rooms and missed events. Runs on the session's inbound
 * thread; holds no state of its own.
 */
final class SocketIoRecovery {
    private static final Logger log = LoggerFactory.getLogger(SocketIoRecovery.class);
    /** Most events replayed on recovery; a socket that missed more starts a fresh session. */
    private static final int MAX_RECOVERY = 10_000;

    private final HubEngine engine;
    private final RealConnection connection;
    private final SocketIoOptions options;

    SocketIoRecovery(HubEngine engine, RealConnection connection, SocketIoOptions options) {
        this.engine = engine;
        this.connection = connection;
        this.options = options;
    }

    /** The session a CONNECT with {@code pid}/{@code offset} asks to recover, if it can be. */
    Optional<RecoverySession> find(JsonNode auth, NamespaceImpl nsp) {
        if (engine.recoveryLog == null || !auth.path("pid").isTextual()) {
            return Optional.empty();
        }
        long offset = auth.path("offset").isTextual() ? parseOffset(auth.path("offset").asText()) : -1;
        if (offset < 0) {
            log.debug("no recovery for pid {} on {}: no valid offset ({})", auth.path("pid").asText(), nsp.name(),
                    auth.path("offset"));
            return Optional.empty();
        }
        Optional<RecoverySession> taken;
        try {
            taken = engine.recoverable.take(auth.path("pid").asText());
        } catch (RuntimeException e) {
            log.warn("recovery session lookup failed: {}", e.toString());
            return Optional.empty();
        }
        if (taken.isEmpty()) {
            log.debug("no recovery for pid {} on {}: no saved session (unknown or expired)", auth.path("pid").asText(),
                    nsp.name());
            return Optional.empty();
        }
        if (!taken.get().namespace().equals(nsp.name()) || !Objects.equals(taken.get().userId(), connection.userId)) {
            // not this socket's to recover (recovery never hands one user's rooms to another): put it back
            engine.recoverable.save(taken.get(), options.maxDisconnectionDuration());
            log.debug("no recovery for pid {} on {}: saved for another namespace or user", taken.get().pid(),
                    nsp.name());
            return Optional.empty();
        }
        if (engine.recoveryLog.readAfter(offset, MAX_RECOVERY).isEmpty()) {
            log.debug("no recovery for pid {} on {}: offset {} is no longer in the log, or too much was missed",
                    taken.get().pid(), nsp.name(), auth.path("offset").asText());
            return Optional.empty();
        }
        return taken;
    }

    /**
     * Restores rooms and replays what the socket missed: rooms are joined buffering, the recovery log is read
     * after the client's offset, the CONNECT reply and the missed events are sent, then the buffers drain
     * skipping what the replay sent.
     */
    void restore(NamespaceSocket socket, RecoverySession r, JsonNode auth) {
        long offset = parseOffset(auth.path("offset").asText());
        List<Subscription> joined = new ArrayList<>();
        for (String room : r.rooms()) {
            boolean appRoom = NamespaceImpl.isAppRoomKey(room);
            if (!appRoom && !engine.policy.mayJoin(socket, room)) {
                continue; // authorization is checked again on recovery (streams; application rooms need none)
            }
            Subscription s = new Subscription(socket, room, engine.history, true);
            socket.subscriptions.put(room, s);
            engine.rooms.add(s);
            joined.add(s);
        }
        Optional<List<Envelope>> missed = engine.recoveryLog.readAfter(offset, MAX_RECOVERY);
        if (missed.isEmpty()) {
            // the log moved past the offset since the pre-check: same rooms, but a new pid tells the client
            // that it did not recover
            socket.pid = SocketIoSession.randomId();
            connection.send(Frame.text(SocketIoCodec.connect(socket.nsp.prefix, socket.sid, socket.pid)));
            socket.connected();
            for (Subscription s : joined) {
                s.goLive(0, null, 0);
            }
            return;
        }
        connection.send(Frame.text(SocketIoCodec.connect(socket.nsp.prefix, socket.sid, socket.pid)));
        Set<String> rooms = new HashSet<>(socket.subscriptions.rooms());
        long last = offset;
        for (Envelope e : missed.get()) {
            last = e.logId();
            if (socket.isDirect(e)) {
                // a direct emit to this socket: its arguments are stored as one array
                replayDirect(socket, e);
                continue;
            }
            Targets t = Targets.decode(e.rooms());
            boolean mine = t.rooms().isEmpty();
            for (String room : t.rooms()) {
                if (rooms.contains(room)) {
                    mine = true;
                    break;
                }
            }
            if (mine && !t.excludes(socket)) {
                socket.send(Events.replayed(e), null); // every missed event, never conflated
            }
        }
        socket.connected();
        for (Subscription s : joined) {
            s.goLive(0, null, last);
        }
    }

    private void replayDirect(NamespaceSocket socket, Envelope e) {
        try {
            List<Object> args = new ArrayList<>();
            engine.mapper.readTree(e.data()).forEach(args::add);
            socket.sendFrame(SocketIoCodec.event(engine.mapper, socket.nsp.prefix, -1, e.event(), args,
                    Long.toString(e.logId(), 36)));
        } catch (java.io.IOException ex) {
            log.warn("unreadable direct emit in the recovery log: {}", ex.toString());
        }
    }

    private static long parseOffset(String s) {
        try {
            return Long.parseLong(s, 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
