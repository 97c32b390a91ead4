package dev.realtime.bench;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import org.glassfish.tyrus.server.Server;

/**
 * The transport's limit: a bare Tyrus endpoint on Tyrus's own Grizzly container with no library logic. It speaks
 * the subset of the native protocol the harness uses: {@code {"type":"subscribe","id":..,"room":..}} adds the
 * session to a room set and answers {@code subscribed}; a publish encodes the event frame once and hands it to
 * every session of the room with {@code getAsyncRemote().sendText(frame, handler)}, with no queue bound, no
 * history, no conflation, no heartbeats. Prints {@code READY port=<ws> control=<control>}.
 */
public final class TyrusPeerMain {
    static final Map<String, Set<Session>> ROOMS = new ConcurrentHashMap<>();
    private static final jakarta.websocket.SendHandler IGNORE = result -> { };

    private TyrusPeerMain() {
    }

    /** The endpoint: subscribe only. */
    public static final class Bare extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(0);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                if (text.contains("\"subscribe\"")) {
                    String room = field(text, "room");
                    String id = field(text, "id");
                    ROOMS.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(session);
                    session.getUserProperties().put("room", room);
                    session.getAsyncRemote().sendText("{\"type\":\"subscribed\",\"id\":\"" + id + "\",\"room\":\""
                            + room + "\",\"epoch\":\"e\",\"offset\":0,\"recovered\":true}", IGNORE);
                }
            });
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            Object room = session.getUserProperties().get("room");
            if (room != null) {
                Set<Session> members = ROOMS.get(room);
                if (members != null) {
                    members.remove(session);
                }
            }
        }
    }

    /** Deploys {@link Bare} at {@code /ws}. */
    public static final class App implements ServerApplicationConfig {
        @Override
        public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpoints) {
            return Set.of(ServerEndpointConfig.Builder.create(Bare.class, "/ws").build());
        }

        @Override
        public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
            return Set.of();
        }
    }

    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int i = json.indexOf(key);
        if (i < 0) {
            return "";
        }
        int start = i + key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("org.glassfish").setLevel(Level.WARNING);
        // port -1: an ephemeral port (0 means Tyrus's default 8025)
        Server server = new Server("127.0.0.1", -1, "", Map.of(), App.class);
        server.start();
        long[] offset = {0};
        Control control = new Control((room, jobId, progress, seq, ts) -> {
            Set<Session> members = ROOMS.get(room);
            String now = Instant.ofEpochSecond(ts / 1_000_000, (ts % 1_000_000) * 1000).toString();
            String frame = "{\"type\":\"event\",\"room\":\"" + room + "\",\"event\":\"job:progress\",\"offset\":"
                    + (++offset[0]) + ",\"epoch\":\"e\",\"data\":{\"jobId\":\"" + jobId
                    + "\",\"status\":\"in_progress\",\"progress\":" + progress
                    + ",\"message\":\"Analyzing content\",\"timestamp\":\"" + now + "\",\"ts\":" + ts + "}}";
            if (members != null) {
                for (Session s : members) {
                    s.getAsyncRemote().sendText(frame, IGNORE);
                }
            }
        }, () -> "{\"rooms\":" + ROOMS.size() + "}");
        int controlPort = control.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.stop();
            server.stop();
        }));
        System.out.println("READY port=" + server.getPort() + " control=" + controlPort);
        System.out.flush();
        Thread.currentThread().join();
    }
}
