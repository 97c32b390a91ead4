package dev.realtime.jakarta.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.core.security.Jwts;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.server.ServerLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak of issue 12 (tagged, run by {@code benchmarks/run.sh --soak}, never by {@code verify}): 2,000
 * authenticated clients from one address each send 5 messages per second (an emit with an ack) for 60 s
 * ({@code -Dsoak.seconds}) and receive a job event every 100 ms, while an attacker on the same address runs
 * slow bodies, slowloris heads and path-spelling upgrades. Prints and writes the figures to
 * {@code target/soak.txt}; the one assertion is the point: no healthy client is lost.
 */
@Tag("measurement")
class HostileSoakMeasurement {
    private static final Logger log = LoggerFactory.getLogger(HostileSoakMeasurement.class);

    /** A healthy client: counts what it receives and whether the server closed it. */
    private static final class Healthy implements WebSocket.Listener {
        final AtomicLong acks = new AtomicLong();
        final AtomicLong events = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String t = partial.toString();
                partial.setLength(0);
                if (t.startsWith("{\"type\":\"ack\"")) {
                    acks.incrementAndGet();
                } else if (t.startsWith("{\"type\":\"event\"")) {
                    events.incrementAndGet();
                } else if (t.startsWith("{\"type\":\"error\"")) {
                    errors.incrementAndGet();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    @Test
    void twoThousandClientsBehindOneAddressSurviveTheAttacks() throws Exception {
        int clients = Integer.getInteger("soak.clients", 2000);
        int seconds = Integer.getInteger("soak.seconds", 60);
        RealtimeHub hub = RealtimeHub.builder()
                .authenticator(JwtAuthenticator.builder().hmacSecret(Jwts.SECRET).audience("realtime").build())
                .allowRooms("soak", (c, room) -> true)
                .build();
        hub.on("echo", JsonNode.class, (c, p) -> p);
        RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0)
                .limits(ServerLimits.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5))
                        .withBodyRate(1024, Duration.ofSeconds(2)))
                .build();
        int port = server.start();
        HttpClient http = HttpClient.newHttpClient();
        List<Healthy> healthy = new ArrayList<>();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        AtomicLong sent = new AtomicLong();
        AttackStats attacks = new AttackStats();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                Healthy h = new Healthy();
                String token = Jwts.hs256(Jwts.claims("soak-" + i, Instant.now()).audience("realtime").build());
                h.ws = http.newWebSocketBuilder().buildAsync(
                        URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token), h).get(10, TimeUnit.SECONDS);
                h.ws.sendText("{\"type\":\"subscribe\",\"room\":\"soak\"}", true);
                healthy.add(h);
            }
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            // 5 messages/s per client: one tick every 200 ms sends one emit on every connection
            AtomicInteger seq = new AtomicInteger();
            load.scheduleAtFixedRate(() -> {
                int n = seq.incrementAndGet();
                for (Healthy h : healthy) {
                    if (!h.closed.isDone()) {
                        h.ws.sendText("{\"type\":\"emit\",\"id\":\"" + n + "\",\"event\":\"echo\",\"data\":" + n + "}",
                                true);
                        sent.incrementAndGet();
                    }
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            AtomicInteger progress = new AtomicInteger();
            load.scheduleAtFixedRate(() -> hub.publish(List.of("soak"), "tick", progress.incrementAndGet()),
                    100, 100, TimeUnit.MILLISECONDS);
            Thread attacker = new Thread(() -> attacks.run(port, seconds), "attacker");
            attacker.start();
            attacker.join(TimeUnit.SECONDS.toMillis(seconds + 30));
            load.shutdownNow();
            load.awaitTermination(5, TimeUnit.SECONDS);
            long published = progress.get();
            try { // let what is in flight arrive before counting
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                        healthy.stream().mapToLong(h -> h.acks.get() + h.errors.get()).sum() >= sent.get()
                                && healthy.stream().mapToLong(h -> h.events.get()).sum() >= published * clients);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                log.warn("not everything arrived within 10 s after the load stopped");
            }
            long lost = healthy.stream().filter(h -> h.closed.isDone()).count();
            long acks = healthy.stream().mapToLong(h -> h.acks.get()).sum();
            long events = healthy.stream().mapToLong(h -> h.events.get()).sum();
            long errors = healthy.stream().mapToLong(h -> h.errors.get()).sum();
            String figures = String.format("soak: %d clients from 127.0.0.1 (connected in %.1f s), %d s, "
                            + "%d emits sent, %d acks, %d error replies, %d room events received (%d published x %d), "
                            + "healthy clients lost: %d%n"
                            + "attacks: %s%n", clients, connectSeconds, seconds, sent.get(), acks, errors, events,
                    progress.get(), clients, lost, attacks);
            log.info(figures);
            Files.writeString(Path.of("target", "soak.txt"), figures);
            assertEquals(0, lost, "healthy clients lost");
        } finally {
            load.shutdownNow();
            for (Healthy h : healthy) {
                h.ws.abort();
            }
            server.close();
            hub.close();
        }
    }

    /** The attacker: slow bodies, slowloris heads and path-spelling upgrades, all from 127.0.0.1. */
    private static final class AttackStats {
        final AtomicLong slowBodies = new AtomicLong();
        final AtomicLong slowBodiesEnded = new AtomicLong();
        final AtomicLong heads = new AtomicLong();
        final AtomicLong headsClosed = new AtomicLong();
        final AtomicLong spellings = new AtomicLong();
        final AtomicLong spellingsRefused = new AtomicLong();

        void run(int port, int seconds) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ConcurrentLinkedQueue<RawHttp> held = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<RawHttp> bodies = new ConcurrentLinkedQueue<>();
            String[] paths = {"/%77s", "/ws;x=1", "/%73ocket.io/?EIO=4&transport=websocket", "/socket.io/;x", "/WS"};
            int round = 0;
            while (System.nanoTime() < end) {
                round++;
                try {
                    // 4 slow bodies and 20 slowloris heads per round, one byte each per round
                    for (int i = 0; i < 4; i++) {
                        RawHttp h = RawHttp.connect(port);
                        h.send("POST /api/jobs/x/events HTTP/1.1\r\nHost: a\r\nContent-Length: 40000000\r\n\r\n{");
                        bodies.add(h);
                        slowBodies.incrementAndGet();
                    }
                    for (int i = 0; i < 20; i++) {
                        RawHttp h = RawHttp.connect(port);
                        h.send("GET /health HTTP/1.1\r\nHost: a\r\nX-");
                        held.add(h);
                        heads.incrementAndGet();
                    }
                    for (String p : paths) {
                        spellings.incrementAndGet();
                        String r = RawHttp.exchange(port, "GET " + p + " HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                + "Sec-WebSocket-Version: 13\r\n\r\n");
                        if (RawHttp.status(r) == 400) {
                            spellingsRefused.incrementAndGet();
                        }
                    }
                    // trickle one byte into everything still held; count what the server ended
                    held.removeIf(h -> {
                        if (!h.trySend("a")) {
                            headsClosed.incrementAndGet();
                            h.close();
                            return true;
                        }
                        return false;
                    });
                    bodies.removeIf(h -> {
                        if (!h.trySend("a")) {
                            slowBodiesEnded.incrementAndGet();
                            h.close();
                            return true;
                        }
                        return false;
                    });
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // pacing
                } catch (IOException e) {
                    log.debug("attack step failed: {}", e.toString());
                }
            }
            held.forEach(RawHttp::close);
            bodies.forEach(RawHttp::close);
        }

        @Override
        public String toString() {
            return String.format("%d slow bodies (%d ended by the server with 408), %d slowloris heads (%d closed by "
                            + "the server), %d path-spelling upgrades (%d refused with 400)",
                    slowBodies.get(), slowBodiesEnded.get(), heads.get(), headsClosed.get(), spellings.get(),
                    spellingsRefused.get());
        }
    }
}
