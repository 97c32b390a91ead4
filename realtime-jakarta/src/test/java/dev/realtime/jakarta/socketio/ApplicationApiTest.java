package dev.realtime.jakarta.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.Ack;
import dev.realtime.core.Client;
import dev.realtime.core.DisconnectReason;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.Namespace;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.RemoteSocket;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The public application API against the official npm socket.io-client over real connections: a chat namespace
 * written the way an application writes one (middleware with rejection data, per-socket data, several arguments
 * and ack values, zero-argument emits, no answer for unknown events, onAny, namespace-scoped rooms with
 * {@code except}, in-order handling, fetchSockets and disconnectSockets, disconnect reasons) and a direct emit
 * recovered after a transport cut.
 */
@Timeout(60)
class ApplicationApiTest {
    private RealtimeHub hub;
    private RealtimeServer server;
    private Namespace chat;
    private final List<String> anyEvents = new CopyOnWriteArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final Map<String, DisconnectReason> reasons = new ConcurrentHashMap<>();
    private final Map<String, Client> byName = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        hub = RealtimeHub.builder().limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build();
        chat = hub.namespace("/chat");
        chat.use(socket -> {
            JsonNode name = socket.auth().path("name");
            if (!name.isTextual()) {
                throw new RealtimeException(ErrorCode.UNAUTHORIZED, "name required")
                        .withData(Map.of("reason", "a chat needs a name", "retry", false));
            }
            socket.data().put("name", name.asText());
        });
        chat.onConnect((socket, auth, recovered) -> byName.put((String) socket.data().get("name"), socket));
        chat.onDisconnect((socket, reason) -> reasons.put((String) socket.data().get("name"), reason));
        chat.onAny((client, event, args) -> anyEvents.add(event + "/" + args.size()));
        chat.on("sum", (client, args) -> {
            int total = 0;
            for (JsonNode n : args.list()) {
                total += n.asInt();
            }
            return Ack.of(total, args.size());
        });
        chat.on("nothing", (client, args) -> Ack.none());
        chat.on("sendZero", (client, args) -> {
            client.emit("zero");
            client.emit("pair", "a", 2);
            return null;
        });
        chat.on("whoami", (client, args) -> client.data().get("name"));
        chat.on("join", String.class, (client, room) -> {
            client.join(room);
            return true;
        });
        chat.on("say", String.class, (client, text) -> chat.to("lobby").except(client)
                .emit("said", Map.of("who", client.data().get("name"), "text", text)).delivered());
        CountDownLatch never = new CountDownLatch(1);
        chat.on("slow", String.class, (client, tag) -> {
            never.await(300, TimeUnit.MILLISECONDS); // slow work: a concurrent second handler would finish first
            handled.add(tag);
            return tag;
        });
        chat.on("fast", String.class, (client, tag) -> {
            handled.add(tag);
            return tag;
        });
        chat.on("order", (client, args) -> List.copyOf(handled));
        Namespace admin = hub.namespace("/admin");
        admin.on("join", String.class, (client, room) -> {
            client.join(room);
            return true;
        });
        admin.on("whoami", (client, args) -> client.namespace());
        server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        hub.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void aChatWrittenOnThePublicApi() throws Exception {
        try (NodePeer peer = new NodePeer(url(), "api")) {
            JsonNode rejected = peer.next("rejected");
            assertEquals("name required", rejected.path("rejected").asText());
            assertEquals("a chat needs a name", rejected.path("data").path("reason").asText());
            assertFalse(rejected.path("data").path("retry").asBoolean(true));

            assertEquals("[6,3]", peer.next("sum").path("sum").toString());
            assertEquals(0, peer.next("noneAckValues").path("noneAckValues").asInt());
            // with connection state recovery on, a direct emit carries its recovery offset as a last string
            // argument (as Socket.IO's broadcasts do); the frames without it are checked in SocketIoProtocolTest
            JsonNode zero = peer.next("zeroArgs");
            assertEquals(1, zero.path("zeroArgs").asInt());
            assertEquals(3, zero.path("pair").size());
            assertEquals("a", zero.path("pair").get(0).asText());
            assertEquals(2, zero.path("pair").get(1).asInt());
            assertTrue(zero.path("pair").get(2).isTextual(), "the offset");
            assertEquals("operation has timed out", peer.next("unknown").path("unknown").asText());
            assertEquals("ann", peer.next("whoami").path("whoami").asText());

            JsonNode heard = peer.next("bobHeard");
            assertEquals("ann", heard.path("bobHeard").path("who").asText());
            assertEquals("hello", heard.path("bobHeard").path("text").asText());
            assertFalse(heard.path("annHeard").asBoolean(), "except(sender) left the sender out");
            assertFalse(heard.path("adminHeard").asBoolean(), "/admin's lobby is another room");

            JsonNode order = peer.next("order");
            assertEquals("[\"first\",\"second\"]", order.path("order").toString());
            assertEquals("[\"first\",\"second\"]", order.path("replies").toString());
            peer.next("ready");

            // onAny saw every event with its argument count, the unknown one too
            assertTrue(anyEvents.containsAll(List.of("sum/3", "nothing/0", "nobody/1", "say/1")), anyEvents.toString());
            List<RemoteSocket> lobby = chat.to("lobby").fetchSockets().get(5, TimeUnit.SECONDS);
            assertEquals(2, lobby.size());
            assertTrue(lobby.stream().allMatch(s -> s.rooms().equals(java.util.Set.of("lobby"))
                    && s.namespace().equals("/chat")), lobby.toString());
            assertEquals(java.util.Set.of("ann", "bob"), lobby.stream().map(s -> s.data().path("name").asText())
                    .collect(java.util.stream.Collectors.toSet()));
            assertEquals(1, hub.namespace("/admin").to("lobby").fetchSockets().get(5, TimeUnit.SECONDS).size());

            chat.to("lobby").except(byName.get("ann")).disconnectSockets(false);
            peer.send("go");
            assertEquals("io server disconnect", peer.next("bobDisconnected").path("bobDisconnected").asText());
            peer.awaitDone();
            await().atMost(Duration.ofSeconds(5)).until(() -> reasons.size() == 2);
            assertEquals(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, reasons.get("bob"));
            assertEquals(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT, reasons.get("ann"));
        }
    }

    @Test
    void aDirectEmitIsRecoveredAfterATransportCut() throws Exception {
        try (NodePeer peer = new NodePeer(url(), "direct")) {
            peer.next("ready");
            Client dee = byName.get("dee");
            assertTrue(dee.emit("direct", 1));
            // the client closed its engine itself ("forced close" on its side); the server saw the transport go
            assertEquals("forced close", peer.next("disconnected").path("disconnected").asText());
            await().atMost(Duration.ofSeconds(5)).until(() -> reasons.containsKey("dee"));
            assertEquals(DisconnectReason.TRANSPORT_CLOSE, reasons.get("dee"));
            assertFalse(dee.emit("direct", 2), "not queued: the connection is gone");
            dee.emit("direct", 3);
            peer.send("go");
            assertTrue(peer.next("recovered").path("recovered").asBoolean());
            assertEquals("[1,2,3]", peer.next("got").path("got").toString());
            peer.awaitDone();
        }
    }
}
