package dev.realtime.jakarta.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.socketio.RawSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Shared fixture of the bad-input suite ({@link BadInputSuiteTest}, {@link BadInputLimitsTest}): two servers
 * started once per test class, an open one (protocol abuse) and a JWT-secured one (tokens and room
 * authorization), each with a healthy native client; and the catalogue of more than 200 {@link Case}s.
 *
 * <p>The servers live in static fields set by {@code @BeforeAll} and closed by {@code @AfterAll}, so the
 * subclasses must not run concurrently (the build runs test classes one after another).
 */
abstract class BadInputSuiteBase {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final AtomicInteger TICK = new AtomicInteger();
    static Server open;
    static Server secured;
    static RSAKey strangerKey;

    /** A server plus a healthy native client subscribed to job:healthy. */
    record Server(RealtimeHub hub, RealtimeServer server, int port, RawSocket healthy) {
        static Server start(RealtimeHub.Builder b, String healthyToken) throws Exception {
            RealtimeHub hub = b.limits(Limits.defaults().withHandshakesPerIpPerSecond(100_000)
                    .withConnections(100_000, 100_000)).build();
            hub.namespace("/peer").on("echo", JsonNode.class, (c, p) -> p);
            RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
            int port = server.start();
            RawSocket healthy = RawSocket.open(port, "/ws" + (healthyToken == null ? "" : "?token=" + healthyToken));
            healthy.nextNonPing(); // connection
            healthy.send("{\"type\":\"subscribe\",\"room\":\"job:healthy\"}");
            assertTrue(healthy.nextNonPing().contains("\"subscribed\""));
            return new Server(hub, server, port, healthy);
        }

        void assertHealthy() throws Exception {
            int n = TICK.incrementAndGet() % 101;
            hub.jobs().progress("healthy", n, null);
            JsonNode e = MAPPER.readTree(healthy.nextNonPing());
            assertEquals(n, e.path("data").path("progress").asInt(), "the healthy client keeps receiving events");
        }

        void close() {
            healthy.close();
            server.close();
            hub.close();
        }
    }

    enum Kind { NATIVE_ERROR, CLOSE, SIO_CLOSE, SIO_EXCEPTION, SIO_NO_ANSWER, SIO_CONNECT_ERROR, SIO_ACK_REFUSED, RAW_UTF8 }

    /**
     * One bad input.
     *
     * @param server  "open" or "secured"
     * @param path    WebSocket path and query
     * @param setup   frames sent (and answered) before the bad one
     * @param frame   the bad frame (text), or null for binary/raw cases
     * @param binary  a binary frame to send instead
     * @param expect  error code (NATIVE_ERROR, SIO_*) or close code as a string
     */
    record Case(String name, Kind kind, String server, String path, List<String> setup, String frame, byte[] binary,
                String expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        strangerKey = new RSAKeyGenerator(2048).keyID("stranger").generate();
        open = Server.start(RealtimeHub.builder(), null);
        secured = Server.start(RealtimeHub.builder()
                .authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).audience("realtime").build()),
                token("root", "admin"));
        secured.hub().jobs().job("alice-job", "alice").progress(1, null);
        secured.hub().jobs().job("bob-job", "bob").progress(1, null);
    }

    @AfterAll
    static void stop() {
        open.close();
        secured.close();
    }

    static String token(String sub, String... roles) {
        return Jwts.hs256(Jwts.claims(sub, Instant.now()).audience("realtime").claim("roles", List.of(roles)).build());
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String ws = "/ws";
        String sio = "/socket.io/?EIO=4&transport=websocket";
        // --- native: every truncation of a valid message is malformed JSON
        String valid = "{\"type\":\"subscribe\",\"id\":\"1\",\"room\":\"job:42\",\"since\":3}";
        for (int i = 1; i < valid.length(); i++) {
            c.add(nat("truncated native message at " + i, valid.substring(0, i), "bad_request"));
        }
        // --- native: not an object, wrong types, missing fields
        String[] wrong = {"[]", "[1,2]", "\"text\"", "42", "true", "null", "{}", "{\"type\":1}", "{\"type\":true}",
                "{\"type\":null}", "{\"type\":[\"subscribe\"]}", "{\"type\":{\"a\":1}}", "{\"type\":\"subscribe\"}",
                "{\"type\":\"subscribe\",\"room\":1}", "{\"type\":\"subscribe\",\"room\":[\"job:1\"]}",
                "{\"type\":\"subscribe\",\"room\":null}", "{\"type\":\"subscribe\",\"room\":\"job:1\",\"since\":\"3\"}",
                "{\"type\":\"subscribe\",\"room\":\"job:1\",\"since\":-5}",
                "{\"type\":\"subscribe\",\"room\":\"job:1\",\"since\":1.5}",
                "{\"type\":\"subscribe\",\"room\":\"job:1\",\"since\":{}}", "{\"type\":\"unsubscribe\"}",
                "{\"type\":\"emit\"}", "{\"type\":\"emit\",\"event\":5}", "{\"type\":\"emit\",\"event\":\"\"}",
                "{\"type\":\"auth\",\"token\":\"x\"}"};
        for (String w : wrong) {
            c.add(nat("wrong type or field: " + w, w, "bad_request"));
        }
        for (String t : new String[] {"launch", "SUBSCRIBE", "sub scribe", "event", "ack", "error", "connection",
                "subscribed", "hello", "delete", "admin", "__proto__", "constructor", "x".repeat(100), ""}) {
            c.add(nat("unknown message type '" + (t.length() > 10 ? t.substring(0, 10) + "..." : t) + "'",
                    "{\"type\":\"" + t + "\"}", "bad_request"));
        }
        for (String e : new String[] {"nope", "generate-quiz-typo", "job:progress", "subscribe:jobs", "a:b:c",
                "\u00e9v\u00e9nement", "DROP TABLE", "<script>", "x".repeat(300), "123"}) {
            c.add(nat("unknown event " + (e.length() > 10 ? e.substring(0, 10) + "..." : e),
                    "{\"type\":\"emit\",\"id\":\"e\",\"event\":\"" + e + "\",\"data\":{}}", "unknown_event"));
        }
        for (String r : new String[] {"", " ", "job:", ":job", "job:<b>", "job:a b", "job:a\\u0000", "user:\u00e9",
                "room\\n", "a".repeat(201), "job:\\\"", "../etc/passwd", "job:a?b", "job:a#b", "job:a%20b",
                "job:a*", "job:(1)", "-job", "job:a;b", "all jobs"}) {
            c.add(nat("invalid room '" + (r.length() > 10 ? r.substring(0, 10) + "..." : r) + "'",
                    "{\"type\":\"subscribe\",\"room\":\"" + r + "\"}", "bad_request"));
        }
        for (int depth : new int[] {33, 40, 64, 100, 1000}) {
            c.add(nat("nesting depth " + depth, "[".repeat(depth) + "]".repeat(depth), "too_large"));
        }
        c.add(new Case("frame just over 1 MB", Kind.CLOSE, "open", ws, List.of(), "x".repeat(1_000_001), null, "1009"));
        c.add(new Case("frame of 2 MB", Kind.CLOSE, "open", ws, List.of(), "{\"a\":\"" + "y".repeat(2_000_000) + "\"}",
                null, "1009"));
        c.add(new Case("binary frame over 1 MB", Kind.CLOSE, "open", ws, List.of(), null, new byte[1_000_001], "1009"));
        for (int n : new int[] {1, 16, 1024}) {
            c.add(new Case("binary frame of " + n + " bytes on the native protocol", Kind.CLOSE, "open", ws,
                    List.of(), null, new byte[n], "1003"));
        }
        byte[][] badUtf8 = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {'{', (byte) 0xe2, (byte) 0x82, '}'},
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80}};
        for (int i = 0; i < badUtf8.length; i++) {
            c.add(new Case("invalid UTF-8 #" + i + " (native)", Kind.RAW_UTF8, "open", ws, List.of(), null,
                    badUtf8[i], "1007"));
            c.add(new Case("invalid UTF-8 #" + i + " (Socket.IO)", Kind.RAW_UTF8, "open", sio, List.of(), null,
                    badUtf8[i], "1007"));
        }
        // --- Socket.IO: malformed packets close the connection with 1002
        String[] malformed = {"abc", "x", "2", "5", "4", "42", "42{}", "42[]", "42[{}]", "42[null]", "42[true]",
                "42[\"connect\"]", "42[\"disconnect\"]", "42[\"connect_error\"]", "42[\"newListener\"]", "43[]",
                "43{}", "44{\"message\":\"x\"}", "41{}", "40[1]", "40\"s\"", "45-[\"x\"]", "4a-[\"x\"]",
                "499-[\"x\"]", "411-[\"x\"]", "4x", "47", "48", "49[]", "4/nsp,xyz", "42/jobs,[\"a\"",
                "42/jobs,1[\"a\",{]", "42123456789012345678[\"a\"]", "46-[]", "461-/x,[", "40{\"a\":",
                "42[\"a\",\"b\"", "4\u0000", "4{}", "4[]"};
        for (String m : malformed) {
            c.add(new Case("malformed Socket.IO packet " + m.replace("\u0000", "\\0"), Kind.SIO_CLOSE, "open", sio,
                    List.of(), m, null, "1002"));
        }
        String validEvent = "42/peer,1[\"echo\",{\"a\":[1,2]}]";
        for (int i = 2; i < validEvent.length(); i++) {
            c.add(new Case("truncated Socket.IO event at " + i, Kind.SIO_CLOSE, "open", sio, List.of("40/peer,"),
                    validEvent.substring(0, i), null, "1002"));
        }
        for (String e : new String[] {"nope", "typo-event", "job:progress", "generate", "a:b", "\u00e9", "x".repeat(50),
                "subscribe:job", "SUBSCRIBE:JOBS", "unsubscribe"}) {
            // as the reference server: no answer at all (the client's ack timeout fires), and the connection goes on
            c.add(new Case("unknown Socket.IO event " + (e.length() > 10 ? e.substring(0, 10) + "..." : e),
                    Kind.SIO_NO_ANSWER, "open", sio, List.of("40/jobs,"), "42/jobs,7[\"" + e + "\",{}]", null,
                    "42/jobs,8[\"unsubscribe:jobs\",{\"jobId\":\"x\"}]"));
        }
        c.add(new Case("Socket.IO text payload over maxPayload", Kind.SIO_CLOSE, "open", sio, List.of("40"),
                "42[\"echo\",\"" + "z".repeat(1_000_001) + "\"]", null, "1009"));
        c.add(new Case("Socket.IO binary without a pending packet", Kind.SIO_CLOSE, "open", sio, List.of("40"), null,
                new byte[] {1, 2}, "1002"));
        c.add(new Case("Socket.IO text while attachments pending", Kind.SIO_CLOSE, "open", sio,
                List.of("40", "451-[\"echo\",{\"_placeholder\":true,\"num\":0}]"), "42[\"echo\",1]", null, "1002"));
        // --- tokens (secured server)
        Instant now = Instant.now();
        String[][] tokens = {
                {"forged signature", Jwts.hs256(Jwts.claims("eve", now).audience("realtime").build(),
                        "a-completely-different-secret-of-32+bytes".getBytes(StandardCharsets.UTF_8))},
                {"expired", Jwts.hs256(Jwts.claims("eve", now).audience("realtime")
                        .expirationTime(Date.from(now.minusSeconds(3600))).build())},
                {"not yet valid", Jwts.hs256(Jwts.claims("eve", now).audience("realtime")
                        .notBeforeTime(Date.from(now.plusSeconds(3600))).build())},
                {"wrong audience", Jwts.hs256(Jwts.claims("eve", now).audience("another-api").build())},
                {"alg none", Jwts.none(Jwts.claims("eve", now).audience("realtime").build())},
                {"garbage", "garbage"},
                {"three empty parts", ".."},
                {"RS256 with an unknown key", Jwts.rs256(Jwts.claims("eve", now).audience("realtime").build(),
                        strangerKeyLazy())},
        };
        for (String[] t : tokens) {
            c.add(new Case("native ?token= " + t[0], Kind.CLOSE, "secured", ws + "?token=" + t[1], List.of(), null,
                    null, "1008"));
            c.add(new Case("native auth message " + t[0], Kind.CLOSE, "secured", ws, List.of(),
                    "{\"type\":\"auth\",\"token\":\"" + t[1] + "\"}", null, "1008"));
            c.add(new Case("Socket.IO auth " + t[0], Kind.SIO_CONNECT_ERROR, "secured", sio, List.of(),
                    "40/jobs,{\"token\":\"" + t[1] + "\"}", null, "unauthorized"));
        }
        c.add(new Case("native message before auth", Kind.CLOSE, "secured", ws, List.of(),
                "{\"type\":\"subscribe\",\"room\":\"job:1\"}", null, "1008"));
        c.add(new Case("Socket.IO connect without token", Kind.SIO_CONNECT_ERROR, "secured", sio, List.of(), "40/jobs,",
                null, "unauthorized"));
        // --- room authorization (secured server, authenticated as alice)
        String alice = "?token=" + token("alice");
        for (String room : new String[] {"user:bob", "job:bob-job", "all-jobs", "job:unknown", "session:s1",
                "contest:c1", "quiz:q1"}) {
            c.add(new Case("alice subscribes to " + room, Kind.NATIVE_ERROR, "secured", ws + alice, List.of(),
                    "{\"type\":\"subscribe\",\"id\":\"s\",\"room\":\"" + room + "\"}", null, "forbidden"));
            c.add(new Case("alice resumes " + room, Kind.NATIVE_ERROR, "secured", ws + alice, List.of(),
                    "{\"type\":\"subscribe\",\"id\":\"s\",\"room\":\"" + room + "\",\"since\":0}", null, "forbidden"));
        }
        String[][] sioSubs = {{"{\"userId\":\"bob\"}", "user:bob"}, {"{\"jobId\":\"bob-job\"}", "job:bob-job"},
                {"{}", "all-jobs"}};
        for (String[] s : sioSubs) {
            c.add(new Case("Socket.IO alice subscribe:jobs " + s[1], Kind.SIO_ACK_REFUSED, "secured", sio,
                    List.of("40/jobs,{\"token\":\"" + token("alice") + "\"}"),
                    "42/jobs,9[\"subscribe:jobs\"," + s[0] + "]", null, s[1]));
        }
        return c.stream();
    }

    static RSAKey strangerKeyLazy() {
        try {
            return strangerKey != null ? strangerKey : new RSAKeyGenerator(2048).keyID("stranger").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Case nat(String name, String frame, String code) {
        return new Case(name, Kind.NATIVE_ERROR, "open", "/ws", List.of(), frame, null, code);
    }
}
