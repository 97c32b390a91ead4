package dev.realtime.core.contest;

import dev.realtime.core.Client;
import dev.realtime.core.DaemonThreads;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.quiz.QuestionGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Live contests over the hub's public API, on the default Socket.IO namespace and the native protocol:
 * <ul>
 *   <li>{@code contest:join {contestId, userId}} joins the room {@code contest:{id}} (registering the user when the
 *   contest has open registration) and answers {@code contest:joined {contest, registered, leaderboard, you}}.</li>
 *   <li>{@code contest:submit_answer {contestId, questionId, answer, timeSpent, userId}} answers
 *   {@link AnswerResult} (also sent as {@code contest:answer_result}); a refusal answers
 *   {@code {status:"error", code, message}} (also sent as {@code contest:error}), codes in {@link ContestException}.</li>
 *   <li>{@code contest:get_leaderboard {contestId}} answers the leaderboard and sends it to the caller as
 *   {@code contest:leaderboard_update}.</li>
 *   <li>To the room: {@code contest:leaderboard_update {contestId, state, leaderboard, participants, final, at}} ({@code at}: server
 *   epoch millis when the standings were read) at most
 *   {@code updatesPerSecond} times per second per contest and node (latest standings win), {@code contest:started}
 *   and {@code contest:ended} (final standings, also sent as a last update with {@code final:true}).</li>
 * </ul>
 * When the hub authenticates, the user is the token's subject and the payload's {@code userId} is ignored.
 *
 * <p><b>Cluster.</b> With shared stores (Redis) every node scores against one board; updates reach the room on
 * every node through the hub's broker. {@link ContestStore#claim} lets exactly one node announce a start or end.
 *
 * <p><b>Threads.</b> Handlers run on the hub's handler executor and do store I/O there. One scheduler thread
 * (the caller's, or one this gateway creates and {@link #close() closes}) flushes coalesced updates and checks
 * contest windows every {@code tickInterval}; {@link #tick()} runs the same check at once (tests on a fake clock).
 * Thread-safe; no I/O under a lock.
 *
 * @since 0.1
 */
public final class ContestGateway implements AutoCloseable {
    /** Default bound of leaderboard updates per second per contest and node. */
    public static final int DEFAULT_UPDATES_PER_SECOND = 4;
    /** Default number of standings in a leaderboard payload. */
    public static final int DEFAULT_LEADERBOARD_SIZE = 10;
    /** Default wait after a contest's end before its final standings are read (answers in flight land). */
    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(500);
    /** Default period of the window check. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(200);

    /** {@code contest:join}. */
    public record JoinRequest(String contestId, String userId) {
    }

    /** {@code contest:submit_answer}; {@code timeSpent} is informational only (the server's clock scores). */
    public record AnswerRequest(String contestId, String questionId, Object answer, Long timeSpent, String userId) {
    }

    /** {@code contest:get_leaderboard}. */
    public record LeaderboardRequest(String contestId) {
    }

    private final RealtimeHub hub;
    private final ContestService service;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final int leaderboardSize;
    private final LeaderboardAnnouncer announcer;
    private final ScheduledFuture<?> ticker;

    private ContestGateway(Builder b) {
        this.hub = b.hub;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("contest-gateway")) : b.scheduler;
        this.leaderboardSize = b.leaderboardSize;
        LeaderboardAnnouncer[] ref = new LeaderboardAnnouncer[1];
        this.service = new ContestService(b.contests, b.board, b.generator, b.scoring, clock,
                c -> ref[0].track(c), id -> ref[0].changed(id));
        this.announcer = ref[0] = new LeaderboardAnnouncer(hub, service, clock, scheduler,
                TimeUnit.SECONDS.toNanos(1) / b.updatesPerSecond, b.leaderboardSize, b.settle);
        for (Contest c : b.contests.list()) {
            announcer.track(c);
        }
        hub.on("contest:join", JoinRequest.class, this::join);
        hub.on("contest:submit_answer", AnswerRequest.class, this::submit);
        hub.on("contest:get_leaderboard", LeaderboardRequest.class, this::leaderboard);
        long tick = b.tick.toMillis();
        this.ticker = scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** A builder for a gateway on {@code hub}; {@link Builder#build()} registers the events. */
    public static Builder builder(RealtimeHub hub) {
        return new Builder(hub);
    }

    /** The rules behind the events, for REST routes and embedding. */
    public ContestService service() {
        return service;
    }

    /** The room of a contest: {@code contest:{id}}. */
    public static String room(String contestId) {
        return "contest:" + contestId;
    }

    private String userOf(Client client, String payloadUserId) {
        return hub.principal(client).map(p -> p.userId())
                .orElseGet(() -> ContestService.checkUser(payloadUserId));
    }

    private Object join(Client client, JoinRequest req) {
        try {
            if (req == null) {
                throw new ContestException("bad_request", "contest:join needs {contestId, userId}");
            }
            String user = userOf(client, req.userId());
            Contest c = service.require(req.contestId());
            announcer.track(c);
            Instant now = service.now();
            ContestState state = c.state(now);
            if (c.openRegistration() && state != ContestState.ENDED) {
                service.register(c.id(), user);
            }
            boolean registered = service.isRegistered(c.id(), user);
            if (registered && state == ContestState.LIVE) {
                service.enter(c.id(), user);
            }
            client.join(room(c.id()));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "ok");
            out.put("contestId", c.id());
            out.put("contest", c.participantView(now, state != ContestState.SCHEDULED));
            out.put("userId", user);
            out.put("registered", registered);
            out.put("leaderboard", service.top(c.id(), leaderboardSize));
            out.put("participants", service.boardSize(c.id()));
            out.put("you", service.standing(c.id(), user).orElse(null));
            client.emit("contest:joined", out);
            return out;
        } catch (ContestException e) {
            return refuse(client, req == null ? null : req.contestId(), e);
        }
    }

    private Object submit(Client client, AnswerRequest req) {
        try {
            if (req == null) {
                throw new ContestException("bad_request", "contest:submit_answer needs {contestId, questionId, answer}");
            }
            AnswerResult r = service.submit(req.contestId(), userOf(client, req.userId()), req.questionId(),
                    req.answer());
            client.emit("contest:answer_result", r);
            return r;
        } catch (ContestException e) {
            return refuse(client, req == null ? null : req.contestId(), e);
        }
    }

    private Object leaderboard(Client client, LeaderboardRequest req) {
        try {
            Contest c = service.require(req == null ? null : req.contestId());
            Map<String, Object> out = service.leaderboard(c, leaderboardSize);
            out.put("final", c.state(service.now()) == ContestState.ENDED);
            client.emit("contest:leaderboard_update", out);
            return out;
        } catch (ContestException e) {
            return refuse(client, req == null ? null : req.contestId(), e);
        }
    }

    private static Map<String, Object> refuse(Client client, String contestId, ContestException e) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("status", "error");
        err.put("code", e.reason());
        err.put("message", e.getMessage());
        err.put("contestId", contestId);
        client.emit("contest:error", err);
        return err;
    }

    /** Announces every start and end that is due on the clock (the scheduler calls it every tick). */
    public void tick() {
        announcer.tick();
    }

    /** Stops the window checks and flushes; shuts the scheduler down when this gateway created it. */
    @Override
    public void close() {
        ticker.cancel(false);
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    /**
     * Configures a {@link ContestGateway}: stores (memory by default), question generator (none by default: give
     * the questions), scoring, clock, update rate. Not thread-safe; build once.
     */
    public static final class Builder {
        private final RealtimeHub hub;
        private ContestStore contests;
        private LeaderboardStore board;
        private QuestionGenerator generator;
        private Scoring scoring = Scoring.defaults();
        private Clock clock;
        private ScheduledExecutorService scheduler;
        private int updatesPerSecond = DEFAULT_UPDATES_PER_SECOND;
        private int leaderboardSize = DEFAULT_LEADERBOARD_SIZE;
        private Duration settle = DEFAULT_SETTLE;
        private Duration tick = DEFAULT_TICK;

        private Builder(RealtimeHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
        }

        /** Where contests and registrations live (default: memory). The gateway does not close it. */
        public Builder contestStore(ContestStore store) {
            this.contests = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where scores live (default: memory). The gateway does not close it. */
        public Builder leaderboardStore(LeaderboardStore store) {
            this.board = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Writes questions for {@link ContestService#generateQuestions}. */
        public Builder questionGenerator(QuestionGenerator generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** How correct answers score (default {@link Scoring#defaults()}). */
        public Builder scoring(Scoring scoring) {
            this.scoring = Objects.requireNonNull(scoring, "scoring");
            return this;
        }

        /** The clock for windows and scoring (default: the system's UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A scheduler of yours for flushes and window checks; the gateway never shuts it down. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Bound of {@code contest:leaderboard_update} per second per contest and node (default 4). */
        public Builder updatesPerSecond(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("updatesPerSecond must be 1..1000: " + n);
            }
            this.updatesPerSecond = n;
            return this;
        }

        /** Standings per leaderboard payload (default 10). */
        public Builder leaderboardSize(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("leaderboardSize must be 1..1000: " + n);
            }
            this.leaderboardSize = n;
            return this;
        }

        /** Wait after the end before the final standings (default 500 ms), and the window check period. */
        public Builder timing(Duration settle, Duration tick) {
            if (settle.isNegative() || tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("settle must be >= 0 and tick > 0");
            }
            this.settle = settle;
            this.tick = tick;
            return this;
        }

        /** Builds the gateway and registers its events on the hub. */
        public ContestGateway build() {
            if (contests == null) {
                contests = ContestStore.inMemory();
            }
            if (board == null) {
                board = LeaderboardStore.inMemory();
            }
            return new ContestGateway(this);
        }
    }
}
