package dev.realtime.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.Namespace;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.RemoteSocket;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.redis.RedisBackend;
import dev.realtime.redis.RedisTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket operations of the application API across two nodes sharing a real redis-server, with the npm
 * socket.io-client on each: fetchSockets sees both nodes' sockets with their data, socketsJoin reaches the other
 * node's sockets, {@code except} holds across nodes, and disconnectSockets disconnects sockets on both.
 */
@Timeout(90)
class ClusterSocketsTest {

    /** A node: a hub on the shared Redis with a /chat namespace, served on an ephemeral port. */
    private record Node(RealtimeHub hub, RealtimeServer server, Namespace chat) implements AutoCloseable {
        static Node start(String redisUrl, String id) {
            RealtimeHub hub = RealtimeHub.builder().nodeId(id).backend(RedisBackend.create(redisUrl))
                    .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build();
            Namespace chat = hub.namespace("/chat");
            chat.onConnect((socket, auth, recovered) -> socket.data().put("node", id));
            chat.on("join", String.class, (client, room) -> {
                client.join(room);
                return true;
            });
            chat.on("say", String.class, (client, text) -> chat.to("lobby").except(client)
                    .emit("said", Map.of("text", text)).delivered());
            chat.on("ping", (client, args) -> "pong");
            RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
            server.start();
            return new Node(hub, server, chat);
        }

        String url() {
            return "http://127.0.0.1:" + server.port() + "/chat";
        }

        @Override
        public void close() {
            server.close();
            hub.close();
        }
    }

    @Test
    void socketOperationsReachEveryNode() throws Exception {
        try (RedisTestServer redis = RedisTestServer.start(false);
             Node a = Node.start(redis.url(), "a");
             Node b = Node.start(redis.url(), "b");
             SocketIoUsers users = new SocketIoUsers("http://127.0.0.1:" + a.server().port())) {
            assertTrue(users.connect("onA", a.url(), null).has("connected"));
            assertTrue(users.connect("onB", b.url(), null).has("connected"));
            assertTrue(users.call("onA", "join", "lobby").asBoolean());
            assertTrue(users.call("onB", "join", "lobby").asBoolean());

            List<RemoteSocket> lobby = a.chat().to("lobby").fetchSockets().get(10, TimeUnit.SECONDS);
            assertEquals(Set.of("a", "b"), lobby.stream().map(RemoteSocket::node).collect(Collectors.toSet()));
            assertEquals(Set.of("a", "b"), lobby.stream().map(s -> s.data().path("node").asText())
                    .collect(Collectors.toSet()), "each socket's data travels with it");
            assertEquals(2, a.chat().local().fetchSockets().get(10, TimeUnit.SECONDS).size() + b.chat().local()
                    .fetchSockets().get(10, TimeUnit.SECONDS).size());

            // node A makes every lobby socket join "vip", B's included; a publish on B to "vip" reaches A's socket
            a.chat().to("lobby").socketsJoin("vip");
            await().atMost(Duration.ofSeconds(10)).until(() -> b.chat().to("vip").fetchSockets()
                    .get(10, TimeUnit.SECONDS).size() == 2);
            b.chat().to("vip").emit("vip", Map.of("from", "b"));
            assertEquals("b", users.event("onA", "vip").path("from").asText());
            assertEquals("b", users.event("onB", "vip").path("from").asText());

            // except(sender) holds on the other node too: B's socket hears A's, A's does not
            users.call("onA", "say", "hi");
            assertEquals("hi", users.event("onB", "said").path("text").asText());
            assertEquals("pong", users.call("onA", "ping", null).asText());
            assertFalse(users.received("onA", "said"), "the sender was left out");

            a.chat().to("lobby").disconnectSockets(false);
            assertEquals("io server disconnect", users.disconnected("onA"));
            assertEquals("io server disconnect", users.disconnected("onB"));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.chat().to().fetchSockets()
                    .get(10, TimeUnit.SECONDS).isEmpty());
            users.end();
        }
    }
}
