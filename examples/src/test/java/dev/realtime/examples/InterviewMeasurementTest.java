package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.interview.InterviewGateway;
import dev.realtime.core.interview.SessionAccess;
import dev.realtime.core.interview.SessionDirectory;
import dev.realtime.core.interview.Transcriber;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.socketio.NodePeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement, not a test (excluded from {@code verify}; run with {@code -Dmeasure}): relay latency of
 * {@code audio:stream} → {@code audio:received} for 100 interview sessions of 2 members (npm socket.io-client, all
 * 200 sockets in one Node process, JWTs, one server in this JVM on the same 2 cores), each first member streaming
 * {@code interview.chunks} chunks of 1,600 bytes (50 ms of 16 kHz PCM16) every 50 ms on its own timer, the
 * senders' phases spread over the 50 ms (independent microphones; {@code -Dinterview.burst=true}: all at once). The latency is the
 * sender's emit to the other member's receipt, on the Node process's clock; reported over all chunks and without
 * each session's first 10 (connections and JIT warming up). Prints and appends to
 * {@code target/interview-measurement.txt}.
 */
@Tag("measurement")
@Timeout(300)
class InterviewMeasurementTest {
    private static final int SESSIONS = Integer.getInteger("interview.sessions", 100);
    private static final int CHUNKS = Integer.getInteger("interview.chunks", 40);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void relayLatencyFor100SessionsOf2() throws Exception {
        SessionAccess access = SessionAccess.of(SessionDirectory.anyAuthenticatedUser());
        try (RealtimeHub hub = RealtimeHub.builder().authenticator(JwtAuthenticator.builder()
                .hmacSecret(Jwts.SECRET).build()).allowRooms(SessionAccess.PREFIX, access)
                .limits(Limits.defaults().withHandshakesPerIpPerSecond(10_000)).build();
             InterviewGateway gateway = InterviewGateway.builder(hub).access(access)
                     .transcriber(Transcriber.unavailable("not measured")).build();
             RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            String base = "http://127.0.0.1:" + server.start();
            ObjectNode cfg = JSON.createObjectNode().put("url", base + "/interview").put("chunks", CHUNKS)
                    .put("intervalMs", 50).put("bytes", 1600).put("warmup", 10)
                    .put("burst", Boolean.getBoolean("interview.burst"));
            ArrayNode sessions = cfg.putArray("sessions");
            Instant now = Instant.now();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.addObject().put("id", "load-" + i).put("a", Jwts.user("a" + i, now))
                        .put("b", Jwts.user("b" + i, now));
            }
            try (NodePeer peer = new NodePeer(SocketIoUsers.NODE, base, "interviewLoad")) {
                peer.send(cfg.toString());
                assertEquals(SESSIONS, peer.next("joined").path("joined").asInt());
                JsonNode r = peer.next("received");
                assertEquals(SESSIONS * CHUNKS, r.path("received").asInt(), r.toString());
                assertEquals(0, r.path("outOfOrder").asInt(), r.toString());
                assertEquals(0, r.path("echoes").asInt(), r.toString());
                String line = String.format("interview relay, %d sessions x 2 members, %d chunks of 1600 B every 50 ms"
                                + " per session (" + (Boolean.getBoolean("interview.burst") ? "all senders at once"
                                : "senders' phases spread") + "): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms over %d chunks"
                                + "; after the first 10 chunks of each session: p50 %.2f ms, p99 %.2f ms over %d"
                                + " (relayed %d, rejected %d)%n", SESSIONS, CHUNKS, r.path("p50").asDouble(),
                        r.path("p90").asDouble(), r.path("p99").asDouble(), r.path("max").asDouble(),
                        r.path("received").asInt(), r.path("warmP50").asDouble(), r.path("warmP99").asDouble(),
                        r.path("warmCount").asInt(), gateway.stats().chunksRelayed(), gateway.stats().chunksRejected());
                System.out.print(line);
                Files.writeString(Path.of("target/interview-measurement.txt"), line, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }
}
