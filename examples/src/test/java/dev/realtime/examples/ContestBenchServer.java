package dev.realtime.examples;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestGateway;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.ContestStore;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.core.security.Limits;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.redis.RedisBackend;
import dev.realtime.redis.RedisContestStore;
import dev.realtime.redis.RedisLeaderboardStore;
import dev.realtime.redis.RedisOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The server process of {@link ContestMeasurementTest}: a hub, the contest gateway (memory stores, or Redis stores
 * and a Redis backend when the argument is a URL) and a contest {@code bench} with 10 questions. Prints
 * {@code READY <port>}, then answers stdin commands: {@code cpu} (process CPU ns), {@code heap} (heap used after
 * GC), {@code board} (participants on the board), {@code quit}.
 */
public final class ContestBenchServer {
    private ContestBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String redis = args.length > 0 && args[0].startsWith("redis") ? args[0] : null;
        RealtimeHub.Builder hb = RealtimeHub.builder().limits(Limits.unlimited());
        ContestStore contests = ContestStore.inMemory();
        LeaderboardStore board = LeaderboardStore.inMemory();
        if (redis != null) {
            hb.backend(RedisBackend.create(redis));
            contests = new RedisContestStore(RedisOptions.builder().url(redis).build());
            board = new RedisLeaderboardStore(RedisOptions.builder().url(redis).build());
        }
        try (RealtimeHub hub = hb.build();
             ContestGateway gateway = ContestGateway.builder(hub).contestStore(contests).leaderboardStore(board)
                     .build();
             RealtimeServer server = RealtimeServer.builder().hub(hub).host("127.0.0.1").port(0).build()) {
            Instant now = Instant.now();
            List<ContestQuestion> qs = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                qs.add(new ContestQuestion("q" + i, "Question " + i, List.of("a", "b", "c", "d"), i % 4, 1000,
                        "medium", ""));
            }
            gateway.service().save(new Contest("bench", "Benchmark", now, now.plus(Duration.ofHours(1)), qs, true));
            System.out.println("READY " + server.start());
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                switch (line) {
                    case "cpu" -> System.out.println("CPU " + os.getProcessCpuTime());
                    case "heap" -> {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                        }
                        System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                    }
                    case "board" -> System.out.println("BOARD " + gateway.service().boardSize("bench"));
                    default -> System.out.println("? " + line);
                }
            }
        } finally {
            contests.close();
            board.close();
        }
    }
}
