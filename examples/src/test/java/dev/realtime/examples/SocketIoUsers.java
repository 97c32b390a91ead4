package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.jakarta.socketio.NodePeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Several users on the official npm socket.io-client (realtime-jakarta's {@code peer.mjs}, scenario
 * {@code driven}), one connection each. Lines the peer prints are read in order; whatever a wait skips stays
 * buffered for the next wait, so every event of every user is seen once and in arrival order. Not thread-safe.
 */
final class SocketIoUsers implements AutoCloseable {
    /** realtime-jakarta's node project: its build runs {@code npm ci} there before this module's tests. */
    static final Path NODE = Path.of("../realtime-jakarta/src/test/node");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodePeer peer;
    private final String base;
    private final List<JsonNode> buffered = new ArrayList<>();
    private int tags;

    SocketIoUsers(String base) throws IOException {
        assertTrue(Files.isDirectory(NODE.resolve("node_modules/socket.io-client")),
                "socket.io-client is not installed: build realtime-jakarta first (it runs npm ci)");
        this.base = base;
        this.peer = new NodePeer(NODE, base, "driven");
    }

    /** Connects {@code as} to the default namespace of {@code url} (null: the base), with a token if given. */
    JsonNode connect(String as, String url, String token) throws Exception {
        ObjectNode cmd = JSON.createObjectNode().put("op", "connect").put("as", as).put("url", url == null ? base : url);
        if (token != null) {
            cmd.put("token", token);
        }
        peer.send(cmd.toString());
        return await(as, n -> n.has("connected") || n.has("connectError"));
    }

    JsonNode connect(String as) throws Exception {
        return connect(as, null, null);
    }

    /** Emits with an acknowledgement and returns it. */
    JsonNode call(String as, String event, Object data) throws Exception {
        String tag = "t" + (++tags);
        peer.send(JSON.createObjectNode().put("op", "emit").put("as", as).put("event", event).put("ack", true)
                .put("tag", tag).set("data", JSON.valueToTree(data)).toString());
        return await(as, n -> n.has("ack") && tag.equals(n.path("tag").asText())).get("ack");
    }

    /** Emits with an acknowledgement carrying several arguments ({@code {"$binary": base64}} for attachments). */
    JsonNode callArgs(String as, String event, Object... args) throws Exception {
        String tag = "t" + (++tags);
        peer.send(JSON.createObjectNode().put("op", "emit").put("as", as).put("event", event).put("ack", true)
                .put("tag", tag).set("args", JSON.valueToTree(List.of(args))).toString());
        return await(as, n -> n.has("ack") && tag.equals(n.path("tag").asText())).get("ack");
    }

    /** Emits without an acknowledgement. */
    void emit(String as, String event, Object data) throws Exception {
        peer.send(JSON.createObjectNode().put("op", "emit").put("as", as).put("event", event)
                .set("data", JSON.valueToTree(data)).toString());
    }

    /** Cuts {@code as}'s transport without a Socket.IO DISCONNECT, as a network drop does. */
    void drop(String as) throws Exception {
        peer.send(JSON.createObjectNode().put("op", "drop").put("as", as).toString());
        await(as, n -> n.has("dropped"));
    }

    /** A binary argument for {@link #callArgs} and {@link #call}: the peer emits it as a Buffer (an attachment). */
    static Object binary(byte[] bytes) {
        return java.util.Map.of("$binary", java.util.Base64.getEncoder().encodeToString(bytes));
    }

    /** The names of the events {@code as} received that are still buffered. */
    List<String> bufferedEvents(String as) {
        return buffered.stream().filter(n -> as.equals(n.path("as").asText()) && n.has("event"))
                .map(n -> n.path("event").asText()).toList();
    }

    /** The data of {@code as}'s next {@code event} (earlier events of other names stay buffered). */
    JsonNode event(String as, String event) throws Exception {
        return await(as, n -> event.equals(n.path("event").asText())).get("data");
    }

    /** {@code as}'s {@code event}s up to and including the first whose data matches {@code until}, in order. */
    List<JsonNode> eventsUntil(String as, String event, Predicate<JsonNode> until) throws Exception {
        List<JsonNode> seen = new ArrayList<>();
        for (;;) {
            JsonNode d = event(as, event);
            seen.add(d);
            if (until.test(d)) {
                return seen;
            }
        }
    }

    private JsonNode await(String as, Predicate<JsonNode> match) throws Exception {
        for (Iterator<JsonNode> it = buffered.iterator(); it.hasNext(); ) {
            JsonNode n = it.next();
            if (as.equals(n.path("as").asText()) && match.test(n)) {
                it.remove();
                return n;
            }
        }
        for (;;) {
            JsonNode n = peer.next();
            if (as.equals(n.path("as").asText()) && match.test(n)) {
                return n;
            }
            buffered.add(n);
        }
    }

    /** Waits until the server disconnected {@code as}; returns the client's reason. */
    String disconnected(String as) throws Exception {
        return await(as, n -> n.has("disconnected")).path("disconnected").asText();
    }

    /** Whether an {@code event} for {@code as} arrived and is still buffered (not taken by {@link #event}). */
    boolean received(String as, String event) {
        return buffered.stream().anyMatch(n -> as.equals(n.path("as").asText()) && event.equals(n.path("event").asText()));
    }

    /** Disconnects everyone and waits for the peer to exit cleanly. */
    void end() throws Exception {
        peer.send("{\"op\":\"end\"}");
        for (;;) {
            JsonNode n = peer.next();
            if (n.has("done")) {
                return;
            }
        }
    }

    @Override
    public void close() {
        peer.close();
    }
}
