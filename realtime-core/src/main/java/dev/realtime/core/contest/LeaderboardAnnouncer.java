package dev.realtime.core.contest;

import dev.realtime.core.RealtimeHub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link ContestGateway} pushes to contest rooms: coalesced {@code contest:leaderboard_update}s (at most one
 * per interval per contest; a flush reads the latest standings, so the latest win), {@code contest:started}, and
 * at the end a last update with {@code final:true} plus {@code contest:ended}, after which no other update of
 * that contest goes out from this node. Flushes run on the gateway's scheduler; each contest's state is guarded
 * by its {@code Tracked} object, and store reads and publishes happen after the lock is released.
 */
final class LeaderboardAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(LeaderboardAnnouncer.class);

    /** A contest this node knows and what it already announced; guarded by itself. */
    private static final class Tracked {
        Contest contest;
        boolean started;
        boolean ended;
        /** Coalescing: whether a flush is scheduled, and when the last one ran (nanoTime). */
        boolean flushScheduled;
        long lastFlushNanos = Long.MIN_VALUE / 2;
    }

    private final RealtimeHub hub;
    private final ContestService service;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final long intervalNanos;
    private final int leaderboardSize;
    private final Duration settle;
    private final ConcurrentHashMap<String, Tracked> tracked = new ConcurrentHashMap<>();

    LeaderboardAnnouncer(RealtimeHub hub, ContestService service, Clock clock, ScheduledExecutorService scheduler,
                         long intervalNanos, int leaderboardSize, Duration settle) {
        this.hub = hub;
        this.service = service;
        this.clock = clock;
        this.scheduler = scheduler;
        this.intervalNanos = intervalNanos;
        this.leaderboardSize = leaderboardSize;
        this.settle = settle;
    }

    void track(Contest c) {
        Tracked t = tracked.computeIfAbsent(c.id(), k -> new Tracked());
        synchronized (t) {
            if (t.contest == null || !t.contest.equals(c)) {
                boolean moved = t.contest != null && !t.contest.endsAt().equals(c.endsAt());
                t.contest = c;
                if (moved) {
                    t.ended = false;
                }
            }
        }
    }

    /** A board changed: schedule a flush unless one is pending (coalescing; the flush reads the latest board). */
    void changed(String contestId) {
        Tracked t = tracked.get(contestId);
        if (t == null) { // changed here (a REST registration) before this node saw the contest
            try {
                track(service.require(contestId));
            } catch (RuntimeException e) {
                log.debug("contest {} changed but cannot be read: {}", contestId, e.toString());
                return;
            }
            t = tracked.get(contestId);
        }
        long delayNanos;
        synchronized (t) {
            if (t.flushScheduled || t.ended) {
                return;
            }
            t.flushScheduled = true;
            delayNanos = Math.max(0, t.lastFlushNanos + intervalNanos - System.nanoTime());
        }
        try {
            scheduler.schedule(() -> flush(contestId), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // closing
        }
    }

    private void flush(String contestId) {
        Tracked t = tracked.get(contestId);
        Contest c;
        synchronized (t) {
            t.flushScheduled = false;
            t.lastFlushNanos = System.nanoTime();
            if (t.ended) {
                return; // the final standings went out already
            }
            c = t.contest;
        }
        try {
            Map<String, Object> out = service.leaderboard(c, leaderboardSize);
            out.put("final", false);
            out.put("at", clock.millis());
            hub.emitToRoom(ContestGateway.room(contestId), "contest:leaderboard_update", out);
        } catch (RuntimeException e) {
            log.warn("leaderboard update of contest {} failed: {}", contestId, e.toString());
        }
    }

    /** When the store was last scanned for contests this node has not seen (clock millis). */
    private volatile long lastScan = Long.MIN_VALUE;
    private static final long SCAN_MILLIS = 5_000;

    /**
     * Every node watches every contest that is not over, not only those it saw an answer or a join for: if the
     * node that would have announced an end dies, another one claims it.
     */
    private void scan(Instant now) {
        if (now.toEpochMilli() - lastScan < SCAN_MILLIS) {
            return;
        }
        lastScan = now.toEpochMilli();
        try {
            for (Contest c : service.list()) {
                if (now.isBefore(c.endsAt().plus(settle).plusSeconds(60)) && !tracked.containsKey(c.id())) {
                    track(c);
                }
            }
        } catch (RuntimeException e) {
            log.warn("contest scan failed: {}", e.toString());
        }
    }

    /** Announces every start and end that is due on the clock. */
    void tick() {
        Instant now = clock.instant();
        scan(now);
        for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
            Tracked t = e.getValue();
            Contest c;
            boolean start = false;
            boolean end = false;
            synchronized (t) {
                c = t.contest;
                if (!t.started && !now.isBefore(c.startsAt()) && now.isBefore(c.endsAt())) {
                    t.started = start = true;
                }
                if (!t.ended && !now.isBefore(c.endsAt().plus(settle))) {
                    end = true; // set ended once announced here or elsewhere: a dead claimer is replaced
                    t.started = true;
                }
            }
            try {
                if (start && service.claim(c.id(), "started")) {
                    Map<String, Object> out = c.participantView(now, true);
                    out.put("contestId", c.id());
                    hub.emitToRoom(ContestGateway.room(c.id()), "contest:started", out);
                    service.announced(c.id(), "started");
                }
                if (end) {
                    boolean mine = service.claim(c.id(), "ended");
                    if (mine) {
                        markEnded(t);
                        announceEnd(c);
                        service.announced(c.id(), "ended");
                    } else if (service.wasAnnounced(c.id(), "ended")) {
                        markEnded(t);
                    } // else another node holds the lease: look again at the next tick
                }
            } catch (RuntimeException ex) {
                log.warn("contest {} announcement failed: {}", c.id(), ex.toString());
            }
        }
    }

    private static void markEnded(Tracked t) {
        synchronized (t) {
            t.ended = true;
        }
    }

    private void announceEnd(Contest c) {
        Map<String, Object> board = service.leaderboard(c, leaderboardSize);
        board.put("final", true);
        board.put("at", clock.millis());
        hub.emitToRoom(ContestGateway.room(c.id()), "contest:leaderboard_update", board);
        Map<String, Object> out = new LinkedHashMap<>(board);
        out.remove("final");
        out.put("endedAt", c.endsAt().toString());
        hub.emitToRoom(ContestGateway.room(c.id()), "contest:ended", out);
        log.info("contest {} ended with {} participant(s)", c.id(), board.get("participants"));
    }
}
