package dev.realtime.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ConnectionHandle;
import dev.realtime.core.Handshake;
import dev.realtime.core.Protocol;
import dev.realtime.core.testing.RecordingTransport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hub's cluster features through a real redis-server: Socket.IO recovery on another node, presence, registry. */
@Tag("integration")
@ExtendWith(RedisServerExtension.class)
class RedisHubIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private RedisOptions options;
    private Node a;
    private Node b;

    @BeforeEach
    void setUp(RedisTestServer server) {
        options = RedisOptions.builder().url(server.url()).keyPrefix("h-" + UUID.randomUUID() + ":").build();
        a = new Node("a", options);
        b = new Node("b", options);
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    private static RecordingTransport socketIo(Node n, ConnectionHandle[] handle) {
        RecordingTransport t = new RecordingTransport(new Handshake("/socket.io/", Map.of(),
                Map.of("EIO", List.of("4"), "transport", List.of("websocket")), "127.0.0.1"));
        handle[0] = n.hub.connect(t, Protocol.SOCKET_IO);
        t.nextText();
        return t;
    }

    private static JsonNode json(String s) throws Exception {
        return MAPPER.readTree(s);
    }

    @Test
    void socketIoClientRecoversOnAnotherNode() throws Exception {
        ConnectionHandle[] h = new ConnectionHandle[1];
        RecordingTransport onA = socketIo(a, h);
        h[0].onText("40/jobs,");
        JsonNode hello = json(onA.nextText().substring("40/jobs,".length()));
        h[0].onText("42/jobs,1[\"subscribe:jobs\",{\"jobId\":\"x1\"}]");
        onA.nextText();
        a.hub.jobs().progress("x1", 1, null);
        String offset = json(onA.nextText().substring("42/jobs,".length())).get(2).asText();
        h[0].onClose(1006, "node A unreachable");

        a.hub.jobs().progress("x1", 2, null);
        b.hub.jobs().completed("x1", "ok");

        RecordingTransport onB = socketIo(b, h);
        h[0].onText("40/jobs,{\"pid\":\"" + hello.path("pid").asText() + "\",\"offset\":\"" + offset + "\"}");
        JsonNode again = json(onB.nextText().substring("40/jobs,".length()));
        assertEquals(hello.path("sid").asText(), again.path("sid").asText(), "same socket id: recovered");
        assertEquals(2, json(onB.nextText().substring("42/jobs,".length())).get(1).path("progress").asInt());
        assertEquals("job:completed", json(onB.nextText().substring("42/jobs,".length())).get(0).asText());
        a.hub.jobs().failed("x1", "later");
        assertEquals("job:error", json(onB.nextText().substring("42/jobs,".length())).get(0).asText(),
                "rooms restored on B: live events from A keep coming");
    }

    @Test
    void presenceIsSharedAcrossNodesAndDeduplicatedPerUser() {
        Node.Client watcher = a.connect();
        watcher.subscribe("session:s1");
        Node.Client tab1 = b.connect();
        tab1.subscribe("session:s1");
        String user = tab1.clientId(); // unauthenticated: each connection is its own user
        JsonNode joined = watcher.transport().nextMatching(f -> "user:joined".equals(f.path("event").asText())
                && user.equals(f.path("data").path("userId").asText()));
        assertEquals("s1", joined.path("data").path("sessionId").asText());
        await().until(() -> a.hub.presence("session:s1").size() == 2);
        assertEquals(b.hub.presence("session:s1"), a.hub.presence("session:s1"));
        assertTrue(a.hub.presence("session:s1").contains(user));
        tab1.handle().onClose(1001, "tab closed");
        JsonNode gone = watcher.transport().nextMatching(f -> "user:disconnected".equals(f.path("event").asText()));
        assertEquals(user, gone.path("data").path("userId").asText());
        await().until(() -> a.hub.presence("session:s1").size() == 1);
    }

    @Test
    void connectionsAndSubscriptionsAreMirroredForOtherSystems() {
        Node.Client c = a.connect();
        c.subscribe("job:m1");
        String id = c.clientId();
        try (RedisSessionRegistry view = new RedisSessionRegistry(options)) {
            // mirrored off the connection's thread (registry I/O never delays the client), in order
            await().until(() -> view.rooms(id).equals(Set.of("job:m1")));
            assertEquals("a", view.metadata(id).orElseThrow().get("node"));
            c.handle().onClose(1000, "bye");
            await().until(() -> view.metadata(id).isEmpty());
            assertFalse(view.metadata(id).isPresent(), "removed on close");
        }
    }
}
