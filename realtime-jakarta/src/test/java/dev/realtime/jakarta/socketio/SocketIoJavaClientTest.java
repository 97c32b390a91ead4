package dev.realtime.jakarta.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.SocketIoOptions;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Java client ({@code io.socket:socket.io-client}) against our server, plus raw WebSocket checks of
 * what no well-behaved client does: silent heartbeats, malformed packets, wrong Engine.IO versions.
 */
class SocketIoJavaClientTest {
    private static SocketIoServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new SocketIoServerFixture(RealtimeHub.builder()
                .socketIo(SocketIoOptions.defaults().withPing(Duration.ofMillis(200), Duration.ofMillis(200))));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static Socket socket(String nsp) {
        IO.Options o = IO.Options.builder().setTransports(new String[] {WebSocket.NAME}).setReconnection(false)
                .build();
        return IO.socket(URI.create(fx.url() + nsp), o);
    }

    private static void connect(Socket s) throws InterruptedException {
        CountDownLatch ok = new CountDownLatch(1);
        s.once(Socket.EVENT_CONNECT, args -> ok.countDown());
        s.connect();
        assertTrue(ok.await(5, TimeUnit.SECONDS), "connected");
    }

    @Test
    void severalArgumentsAndAckValuesWithTheJavaClient() throws Exception {
        fx.hub.namespace("/multi")
                .use(socket -> {
                    if (!"yes".equals(socket.auth().path("ok").asText())) {
                        throw new dev.realtime.core.RealtimeException(dev.realtime.core.ErrorCode.FORBIDDEN, "no")
                                .withData(java.util.Map.of("why", "auth.ok missing"));
                    }
                })
                .on("concat", (client, args) -> {
                    StringBuilder sb = new StringBuilder();
                    args.list().forEach(n -> sb.append(n.asText()));
                    client.emit("parts", args.size(), sb.toString());
                    return dev.realtime.core.Ack.of(sb.toString(), args.size());
                });
        IO.Options o = IO.Options.builder().setTransports(new String[] {WebSocket.NAME}).setReconnection(false)
                .setAuth(java.util.Map.of("ok", "yes")).build();
        Socket s = IO.socket(URI.create(fx.url() + "/multi"), o);
        Socket refused = socket("/multi");
        try {
            CompletableFuture<Object[]> parts = new CompletableFuture<>();
            s.on("parts", parts::complete);
            connect(s);
            CompletableFuture<Object[]> ack = new CompletableFuture<>();
            s.emit("concat", new Object[] {"a", "b", 3}, args -> ack.complete(args));
            Object[] reply = ack.get(5, TimeUnit.SECONDS);
            assertEquals("ab3", reply[0]);
            assertEquals(3, reply[1]);
            Object[] p = parts.get(5, TimeUnit.SECONDS);
            assertEquals(3, p[0]);
            assertEquals("ab3", p[1]);
            CompletableFuture<JSONObject> error = new CompletableFuture<>();
            refused.once(Socket.EVENT_CONNECT_ERROR, args -> error.complete((JSONObject) args[0]));
            refused.connect();
            JSONObject err = error.get(5, TimeUnit.SECONDS);
            assertEquals("no", err.getString("message"));
            assertEquals("auth.ok missing", err.getJSONObject("data").getString("why"));
        } finally {
            s.close();
            refused.close();
        }
    }

    @Test
    void subscribesAndReceivesJobEventsWithAck() throws Exception {
        Socket s = socket("/jobs");
        try {
            BlockingQueue<JSONObject> progress = new LinkedBlockingQueue<>();
            s.on("job:progress", args -> progress.add((JSONObject) args[0]));
            connect(s);
            CompletableFuture<JSONObject> ack = new CompletableFuture<>();
            s.emit("subscribe:jobs", new JSONObject().put("jobId", "java-1"), (Ack) args -> ack.complete((JSONObject) args[0]));
            JSONObject reply = ack.get(5, TimeUnit.SECONDS);
            assertTrue(reply.getBoolean("success"));
            assertEquals("job:java-1", reply.getString("room"));
            fx.hub.jobs().progress("java-1", 55, "more");
            JSONObject p = progress.poll(5, TimeUnit.SECONDS);
            assertEquals(55, p.getInt("progress"));
            assertEquals("in_progress", p.getString("status"));
        } finally {
            s.close();
        }
    }

    @Test
    void binaryAndServerAcks() throws Exception {
        Socket s = socket("/peer");
        try {
            BlockingQueue<Object> pushed = new LinkedBlockingQueue<>();
            s.on("got", args -> pushed.add(((JSONObject) args[0]).opt("copy")));
            s.on("confirm", args -> {
                ((Ack) args[args.length - 1]).call(new JSONObject(java.util.Map.of("ok", true)));
            });
            connect(s);
            CompletableFuture<JSONObject> ack = new CompletableFuture<>();
            s.emit("upload", new JSONObject().put("file", new byte[] {9, 8, 7}), (Ack) args -> ack.complete((JSONObject) args[0]));
            JSONObject r = ack.get(5, TimeUnit.SECONDS);
            assertEquals(3, r.getInt("size"));
            assertArrayEquals(new byte[] {9, 8, 7}, (byte[]) r.get("copy"));
            assertArrayEquals(new byte[] {9, 8, 7}, (byte[]) pushed.poll(5, TimeUnit.SECONDS));
            CompletableFuture<JSONObject> asked = new CompletableFuture<>();
            s.emit("ask", new JSONObject().put("q", 1), (Ack) args -> asked.complete((JSONObject) args[0]));
            assertTrue(asked.get(5, TimeUnit.SECONDS).getBoolean("ok"));
        } finally {
            s.close();
        }
    }

    @Test
    void silentClientIsClosedByTheEngineIoHeartbeat() throws Exception {
        RawSocket raw = RawSocket.open(fx.port, "/socket.io/?EIO=4&transport=websocket");
        try {
            assertTrue(raw.nextText().startsWith("0{"));
            raw.send("40");
            assertTrue(raw.nextText().startsWith("40{"));
            assertEquals("2", raw.nextText(), "server pings");
            // no pong: the server must give up after pingTimeout
            assertTrue(raw.awaitClose(3000), "closed for missing pong");
        } finally {
            raw.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "2", "42", "42[]", "40[1]", "45-[\"x\"]", "44{}", "4/nsp,xyz"})
    void malformedPacketsCloseTheConnectionWith1002(String frame) throws Exception {
        RawSocket raw = RawSocket.open(fx.port, "/socket.io/?EIO=4&transport=websocket");
        try {
            raw.nextText();
            raw.send(frame);
            assertTrue(raw.awaitClose(3000), "closed on " + frame);
            assertEquals(1002, raw.closeCode());
        } finally {
            raw.close();
        }
        // and the server keeps serving others
        Socket s = socket("/peer");
        try {
            connect(s);
        } finally {
            s.close();
        }
    }

    @Test
    void wrongEngineIoVersionOrTransportGetsHttp400() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String q : List.of("EIO=3&transport=websocket", "EIO=3&transport=polling", "EIO=4&transport=carrier",
                "transport=websocket")) {
            HttpRequest upgrade = HttpRequest.newBuilder(URI.create(fx.url() + "/socket.io/?" + q)).GET().build();
            HttpResponse<String> r = http.send(upgrade, HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), q);
            assertTrue(r.body().startsWith("{\"code\":"), r.body());
        }
        // as a WebSocket upgrade, too
        RawSocket.Refusal refusal = RawSocket.refused(fx.port, "/socket.io/?EIO=3&transport=websocket");
        assertEquals(400, refusal.status());
        assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", refusal.body());
    }
}
