package dev.realtime.jakarta.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.SocketIoOptions;
import dev.realtime.core.security.Authenticator;
import dev.realtime.core.security.Limits;
import dev.realtime.core.security.Principal;
import dev.realtime.jakarta.server.HttpRoute;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.socketio.RawTcpWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A keep-alive connection that carried polls of an open session has its reads handled on the selector thread
 * (the standalone server's inline reads). Whatever else such a connection asks next must still be served as on
 * any other connection: an API route on a worker thread, never on a selector thread; a WebSocket upgrade admitted
 * (or refused) and opened. Raw sockets, so that every request goes over the same TCP connection.
 */
class PollingConnectionReuseTest {
    private static RealtimeHub hub;
    private static RealtimeServer server;
    /** Whether the route below ran on one of Grizzly's selector threads, and on which thread. */
    private static final AtomicReference<String> routeThread = new AtomicReference<>();
    private static volatile boolean routeOnSelector;
    /** Whether the last handshake admission (its local token check) ran on a selector thread. */
    private static volatile Boolean admissionOnSelector;

    @BeforeAll
    static void start() {
        hub = RealtimeHub.builder()
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000))
                .socketIo(SocketIoOptions.defaults())
                .authenticator(new Authenticator() {
                    @Override
                    public Principal authenticate(String token) {
                        return new Principal("u-" + token, Set.of(), null, Map.of());
                    }

                    @Override
                    public Optional<Principal> authenticateLocally(String token) {
                        admissionOnSelector = org.glassfish.grizzly.threadpool.Threads.isService();
                        return Optional.of(authenticate(token));
                    }
                })
                .build();
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0)
                .route("GET", "/where", req -> {
                    routeOnSelector = org.glassfish.grizzly.threadpool.Threads.isService();
                    routeThread.set(Thread.currentThread().getName());
                    return HttpRoute.Response.json(200, "{\"ok\":true}");
                })
                .build();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        hub.close();
    }

    @Test
    void anApiRequestAfterPollsOnTheSameConnectionRunsOnAWorkerThread() throws Exception {
        try (Socket s = socket()) {
            String sid = openAndConnect(s);
            poll(s, sid); // read on the selector thread from here on
            send(s, "GET /where HTTP/1.1\r\nHost: x\r\n\r\n");
            String[] r = read(s.getInputStream());
            assertTrue(r[0].startsWith("HTTP/1.1 200"), r[0]);
            assertEquals("{\"ok\":true}", r[1]);
            assertFalse(routeOnSelector, "the route ran on " + routeThread.get());
            // and the connection goes on polling afterwards
            send(s, post(sid, "41"));
            assertEquals("ok", read(s.getInputStream())[1]);
        }
    }

    @Test
    void aWebSocketUpgradeOfThePollingSessionOnTheSameConnectionOpens() throws Exception {
        try (Socket s = socket()) {
            String sid = openAndConnect(s);
            poll(s, sid);
            send(s, upgrade("/socket.io/?EIO=4&transport=websocket&sid=" + sid));
            String head = readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            s.getOutputStream().write(RawTcpWebSocket.frame(0x1, "2probe".getBytes(StandardCharsets.UTF_8)));
            assertEquals("3probe", readTextFrame(s.getInputStream()));
        }
    }

    @Test
    void aNewWebSocketOnAConnectionThatPolledIsAdmittedOnAWorkerThread() throws Exception {
        try (Socket s = socket()) {
            poll(s, openAndConnect(s));
            admissionOnSelector = null;
            send(s, upgrade("/socket.io/?EIO=4&transport=websocket"));
            String head = readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(readTextFrame(s.getInputStream()).startsWith("0{\"sid\":"), "the open packet");
            assertEquals(Boolean.FALSE, admissionOnSelector, "where the admission's token check ran");
        }
    }

    @Test
    void aWaitingGetAfterAnAnsweredOneIsAbortedWhenTheClientCloses() throws Exception {
        String sid;
        int before = hub.polling().waitingRequests();
        try (Socket s = socket()) {
            sid = openAndConnect(s);
            poll(s, sid);
            // a GET that waits, then is answered by an event: the connection's close watch is in place
            send(s, "GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.polling().waitingRequests() == before + 1);
            hub.broadcastToAll("tick", 1);
            String tick = read(s.getInputStream())[1];
            assertTrue(tick.startsWith("42[\"tick\","), tick);
            // the next GET on the same connection waits; the client goes away
            send(s, "GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.polling().waitingRequests() == before + 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.polling().waitingRequests() == before);
        try (Socket s = socket()) {
            send(s, "GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = readHead(s.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 400"), "the session is gone: " + head);
        }
    }

    private static String upgrade(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
    }

    @Test
    void anUpgradeToAnotherPathAfterPollsIsRefusedWith404() throws Exception {
        try (Socket s = socket()) {
            String sid = openAndConnect(s);
            poll(s, sid);
            send(s, upgrade("/nowhere"));
            String[] r = read(s.getInputStream());
            assertTrue(r[0].startsWith("HTTP/1.1 404"), r[0]);
            assertTrue(r[1].contains("not_found"), r[1]);
        }
    }

    private static Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The handshake GET, then the Socket.IO CONNECT POSTed and its reply polled: returns the sid. */
    private static String openAndConnect(Socket s) throws IOException {
        send(s, "GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n");
        String open = read(s.getInputStream())[1];
        int at = open.indexOf("\"sid\":\"");
        assertTrue(at > 0, open);
        String sid = open.substring(at + 7, open.indexOf('"', at + 7));
        send(s, post(sid, "40{\"token\":\"t1\"}"));
        assertEquals("ok", read(s.getInputStream())[1]);
        return sid;
    }

    /** One GET of the session: the CONNECT reply first. */
    private static void poll(Socket s, String sid) throws IOException {
        send(s, "GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n\r\n");
        String[] r = read(s.getInputStream());
        assertTrue(r[0].startsWith("HTTP/1.1 200"), r[0]);
        assertTrue(r[1].startsWith("40{"), r[1]);
    }

    private static String post(String sid, String body) {
        return "POST /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static void send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
            matched = "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One response with a Content-Length body: head and body. */
    private static String[] read(InputStream in) throws IOException {
        String head = readHead(in);
        String lower = head.toLowerCase(Locale.ROOT);
        int cl = lower.indexOf("content-length:");
        assertTrue(cl > 0, head);
        int length = Integer.parseInt(lower.substring(cl + 15, lower.indexOf("\r\n", cl)).trim());
        return new String[] {head, new String(in.readNBytes(length), StandardCharsets.UTF_8)};
    }

    /** One short unmasked text frame from the server. */
    private static String readTextFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int len = in.read() & 0x7f;
        assertEquals(0x81, b0, "a final text frame");
        assertTrue(len < 126, "a short frame");
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }
}
