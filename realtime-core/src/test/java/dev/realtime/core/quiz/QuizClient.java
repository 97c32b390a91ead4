package dev.realtime.core.quiz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.Protocol;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.testing.RecordingTransport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One in-process client of the hub speaking either the native protocol or Socket.IO on {@code /quiz}: sends
 * requests with acknowledgements and reads application events as (event, data) pairs, whatever the framing.
 * Frames that arrive while waiting for an acknowledgement are kept for {@link #next()}. Single-threaded use.
 */
final class QuizClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of(QuizPipeline.QUIZ_COMPLETE, QuizPipeline.QUIZ_ERROR);

    /** An application event. */
    record Frame(String event, JsonNode data) {
        String type() {
            return data.path("type").asText();
        }

        String describe() {
            return "quiz-event".equals(event) ? type() : event;
        }
    }

    /** An acknowledgement: data, or an error code. */
    record Ack(JsonNode data, String errorCode) {
    }

    final RecordingTransport transport;
    final ConnectionHandle handle;
    private final boolean socketIo;
    private final Deque<Object> pending = new ArrayDeque<>(); // Frame or Ack
    private int nextId = 1;

    private QuizClient(RecordingTransport transport, ConnectionHandle handle, boolean socketIo) {
        this.transport = transport;
        this.handle = handle;
        this.socketIo = socketIo;
    }

    static QuizClient nativeClient(RealtimeHub hub) {
        return nativeClient(hub, Handshake.of("/ws"));
    }

    static QuizClient nativeClient(RealtimeHub hub, Handshake handshake) {
        RecordingTransport t = new RecordingTransport(handshake);
        ConnectionHandle h = hub.connect(t, Protocol.NATIVE);
        t.next("connection");
        return new QuizClient(t, h, false);
    }

    static QuizClient socketIo(RealtimeHub hub) {
        RecordingTransport t = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "127.0.0.1"));
        ConnectionHandle h = hub.connect(t, Protocol.SOCKET_IO);
        String open = t.nextText();
        if (!open.startsWith("0{")) {
            throw new AssertionError("expected Engine.IO open, got " + open);
        }
        h.onText("40/quiz,");
        String connected = t.nextText();
        if (!connected.startsWith("40/quiz,{\"sid\":")) {
            throw new AssertionError("expected /quiz connect, got " + connected);
        }
        QuizClient c = new QuizClient(t, h, true);
        Frame hello = c.next();
        if (!"connection".equals(hello.event())) {
            throw new AssertionError("expected the /quiz greeting, got " + hello);
        }
        return c;
    }

    /** Sends an event with an acknowledgement id and waits for the acknowledgement. */
    Ack request(String event, Object data) {
        int id = nextId++;
        String json = json(data);
        if (socketIo) {
            handle.onText("42/quiz," + id + "[\"" + event + "\"," + json + "]");
        } else {
            handle.onText("{\"type\":\"emit\",\"id\":\"" + id + "\",\"event\":\"" + event + "\",\"data\":" + json + "}");
        }
        while (true) {
            Object o = read();
            if (o instanceof Ack a) {
                return a;
            }
            pending.addLast(o);
        }
    }

    /** Subscribes (native only) to a history room with {@code since} 0, waiting for the confirmation. */
    void subscribeFromStart(String room) {
        subscribe(room, ",\"since\":0");
    }

    /** Subscribes (native only) to a room, waiting for the confirmation. */
    void subscribe(String room) {
        subscribe(room, "");
    }

    private void subscribe(String room, String extra) {
        handle.onText("{\"type\":\"subscribe\",\"id\":\"s" + nextId++ + "\",\"room\":\"" + room + "\"" + extra + "}");
        while (true) {
            JsonNode n = transport.next();
            if ("subscribed".equals(n.path("type").asText())) {
                return;
            }
            if ("error".equals(n.path("type").asText())) {
                throw new AssertionError("subscribe failed: " + n);
            }
            if ("event".equals(n.path("type").asText())) {
                pending.addLast(new Frame(n.path("event").asText(), n.path("data")));
            }
        }
    }

    /** The next application event (waits up to 5 s). */
    Frame next() {
        while (true) {
            Object o = pending.isEmpty() ? read() : pending.pollFirst();
            if (o instanceof Frame f) {
                return f;
            }
        }
    }

    /** The next event named {@code event}, skipping others. */
    Frame next(String event) {
        while (true) {
            Frame f = next();
            if (f.event().equals(event)) {
                return f;
            }
        }
    }

    /** Every event up to and including {@code quiz-complete} or {@code quiz-error}. */
    List<Frame> untilTerminal() {
        List<Frame> out = new ArrayList<>();
        while (true) {
            Frame f = next();
            out.add(f);
            if (TERMINAL.contains(f.event())) {
                return out;
            }
        }
    }

    private Object read() {
        while (true) {
            if (socketIo) {
                String text = transport.nextText();
                if (text.equals("2")) { // Engine.IO ping
                    handle.onText("3");
                    continue;
                }
                if (text.startsWith("42/quiz,")) {
                    JsonNode args = parse(text.substring("42/quiz,".length()));
                    return new Frame(args.get(0).asText(), args.get(1));
                }
                if (text.startsWith("43/quiz,")) {
                    String rest = text.substring("43/quiz,".length());
                    JsonNode args = parse(rest.substring(rest.indexOf('[')));
                    JsonNode first = args.get(0);
                    if (first != null && first.has("error")) {
                        return new Ack(null, first.path("error").path("code").asText());
                    }
                    return new Ack(first, null);
                }
                throw new AssertionError("unexpected frame " + text);
            }
            JsonNode n = transport.next();
            switch (n.path("type").asText()) {
                case "ping" -> handle.onText("{\"type\":\"pong\"}");
                case "event" -> {
                    return new Frame(n.path("event").asText(), n.path("data"));
                }
                case "ack" -> {
                    return new Ack(n.path("data"), null);
                }
                case "error" -> {
                    return new Ack(null, n.path("code").asText());
                }
                default -> throw new AssertionError("unexpected frame " + n);
            }
        }
    }

    static String json(Object data) {
        try {
            return data instanceof String s ? s : MAPPER.writeValueAsString(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode parse(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }
}
