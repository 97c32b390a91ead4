package dev.realtime.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.redis.RedisBroker;
import dev.realtime.redis.RedisHistoryStore;
import dev.realtime.redis.RedisOptions;
import dev.realtime.redis.RedisRecoveryLog;
import java.time.Instant;
import java.util.logging.Level;

/**
 * The server under test: our {@link RealtimeServer} (native {@code /ws} and Socket.IO {@code /socket.io/}) with an
 * in-memory hub, or with {@code --redis URL} a Redis-backed one (history, broker, recovery log) so that two
 * processes form a cluster. Rate limits are off ({@link Limits#unlimited()}); everything else is the default.
 * Prints {@code READY port=<ws> control=<control>} once listening on 127.0.0.1.
 */
public final class ServerMain {
    /** The job:progress payload of seed 002, plus {@code ts}: publish time in epoch microseconds. */
    public record Progress(String jobId, String status, int progress, String message, String timestamp, long ts) {
    }

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("org.glassfish").setLevel(Level.WARNING);
        String redis = null;
        String nodeId = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--redis" -> redis = args[++i];
                case "--node-id" -> nodeId = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // the peers deliver every message and bound no queue; so must we for a fair count: no limits, no progress conflation
        // (which would otherwise, by design, drop intermediate progress for clients behind a max-rate burst)
        RealtimeHub.Builder b = RealtimeHub.builder().limits(Limits.unlimited()).conflateAfter(Integer.MAX_VALUE)
                .sendQueueCapacity(1_000_000); // and, like them, no practical send-queue bound
        Integer writers = Integer.getInteger("bench.writerThreads");
        if (writers != null) {
            b.writerThreads(writers);
        }
        if (nodeId != null) {
            b.nodeId(nodeId);
        }
        if (redis != null) {
            RedisOptions options = RedisOptions.builder().url(redis).build();
            b.historyStore(new RedisHistoryStore(options)).broker(new RedisBroker(options))
                    .recoveryLog(new RedisRecoveryLog(options));
        }
        RealtimeHub hub = b.build();
        RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build();
        int port = server.start();
        Control control = new Control((room, jobId, progress, seq, ts) -> {
            Instant now = Instant.ofEpochSecond(ts / 1_000_000, (ts % 1_000_000) * 1000);
            hub.emitToRoom(room, "job:progress",
                    new Progress(jobId, "in_progress", progress, "Analyzing content", now.toString(), ts));
        }, () -> {
            try {
                return hub.mapper().writeValueAsString(hub.stats());
            } catch (JsonProcessingException e) {
                return "{}";
            }
        });
        int controlPort = control.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.stop();
            server.close();
            hub.close();
        }));
        System.out.println("READY port=" + port + " control=" + controlPort);
        System.out.flush();
        Thread.currentThread().join();
    }
}
