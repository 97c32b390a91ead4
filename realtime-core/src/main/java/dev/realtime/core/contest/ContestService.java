package dev.realtime.core.contest;

import dev.realtime.core.quiz.Question;
import dev.realtime.core.quiz.QuestionGenerator;
import dev.realtime.core.quiz.QuestionRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Contest rules over the two stores, without any transport: creating contests (with given or generated
 * questions), registration, and scoring answers in the live window. The socket events of {@link ContestGateway}
 * and the REST routes of a server both call it. Obtain it from {@link ContestGateway#service()}.
 *
 * <p>Thread-safe and lock-free; every method may do store I/O on the caller's thread (question generation too:
 * call {@link #generateQuestions} off transport threads). Refusals throw {@link ContestException}.
 *
 * @since 0.1
 */
public final class ContestService {
    /** User ids accepted from payloads and tokens. */
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@:-]{1,64}");
    /** Default points of a generated or given question. */
    public static final int DEFAULT_POINTS = 1000;

    private final ContestStore contests;
    private final LeaderboardStore board;
    private final QuestionGenerator generator;
    private final Scoring scoring;
    private final Clock clock;
    /** Told about every contest this service saved, and about every change of a board. */
    private final Consumer<Contest> onSaved;
    private final Consumer<String> onBoardChanged;

    ContestService(ContestStore contests, LeaderboardStore board, QuestionGenerator generator, Scoring scoring,
                   Clock clock, Consumer<Contest> onSaved, Consumer<String> onBoardChanged) {
        this.contests = contests;
        this.board = board;
        this.generator = generator;
        this.scoring = scoring;
        this.clock = clock;
        this.onSaved = onSaved;
        this.onBoardChanged = onBoardChanged;
    }

    /** The server's time, as scoring and windows see it. */
    public Instant now() {
        return clock.instant();
    }

    /** Saves a new contest; refuses an id in use with {@code bad_request}. */
    public Contest create(Contest contest) {
        if (contests.byId(contest.id()).isPresent()) {
            throw new ContestException("bad_request", "a contest with id " + contest.id() + " exists");
        }
        contests.save(contest);
        onSaved.accept(contest);
        return contest;
    }

    /** Saves a contest, replacing one with the same id (its board is kept). */
    public Contest save(Contest contest) {
        contests.save(contest);
        onSaved.accept(contest);
        return contest;
    }

    /** A fresh contest id. */
    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Questions from the configured generator, ids {@code q1..qN}, each worth {@code points}.
     *
     * @throws ContestException {@code bad_request} when no generator is configured or the request is invalid
     */
    public List<ContestQuestion> generateQuestions(QuestionRequest request, int points) {
        if (generator == null) {
            throw new ContestException("bad_request", "this server has no question generator: give the questions");
        }
        List<Question> generated = generator.generate(request);
        List<ContestQuestion> out = new ArrayList<>();
        for (Question q : generated) {
            out.add(ContestQuestion.of("q" + (out.size() + 1), q, points));
        }
        return out;
    }

    /** All contests, by start. */
    public List<Contest> list() {
        return contests.list();
    }

    /** The contest, or {@code contest_not_found}. */
    public Contest require(String contestId) {
        if (contestId == null || contestId.isBlank()) {
            throw new ContestException("bad_request", "contestId is required");
        }
        return contests.byId(contestId).orElseThrow(() -> new ContestException("contest_not_found",
                "no contest " + contestId));
    }

    /** Deletes a contest, its registrations and its board. */
    public boolean delete(String contestId) {
        board.delete(contestId);
        return contests.delete(contestId);
    }

    /** Registers a user before or during the contest; {@code registration_closed} after it. */
    public boolean register(String contestId, String userId) {
        Contest c = require(contestId);
        checkUser(userId);
        if (c.state(now()) == ContestState.ENDED) {
            throw new ContestException("registration_closed", "contest " + contestId + " has ended");
        }
        boolean added = contests.register(contestId, userId);
        if (c.state(now()) == ContestState.LIVE) {
            enter(contestId, userId);
        }
        return added;
    }

    /** Unregisters a user (their answers stay on the board). */
    public boolean unregister(String contestId, String userId) {
        require(contestId);
        checkUser(userId);
        return contests.unregister(contestId, userId);
    }

    /** Whether the user is registered. */
    public boolean isRegistered(String contestId, String userId) {
        return contests.isRegistered(contestId, userId);
    }

    /** Registered users. */
    public long participantCount(String contestId) {
        return contests.participantCount(contestId);
    }

    /** Puts a registered user on the board with 0 points (when absent). */
    void enter(String contestId, String userId) {
        if (board.standing(contestId, userId).isEmpty()) {
            board.enter(contestId, userId);
            onBoardChanged.accept(contestId);
        }
    }

    /** The first {@code limit} standings. */
    public List<Standing> top(String contestId, int limit) {
        return board.top(contestId, limit);
    }

    /** The user's standing, when on the board. */
    public Optional<Standing> standing(String contestId, String userId) {
        return board.standing(contestId, userId);
    }

    /** Users on the board. */
    public long boardSize(String contestId) {
        return board.size(contestId);
    }

    /**
     * Scores one answer at the server's current time. Idempotent per user and question: a repeat returns the
     * first result with {@code duplicate=true}.
     *
     * @param answer the option's index (number) or text
     * @throws ContestException {@code contest_not_found}, {@code contest_not_started}, {@code contest_ended},
     *                          {@code unknown_question}, {@code not_registered}, {@code bad_request}
     */
    public AnswerResult submit(String contestId, String userId, String questionId, Object answer) {
        Instant at = now();
        Contest c = require(contestId);
        checkUser(userId);
        ContestState state = c.state(at);
        if (state == ContestState.SCHEDULED) {
            throw new ContestException("contest_not_started", "contest " + contestId + " starts at " + c.startsAt());
        }
        if (state == ContestState.ENDED) {
            throw new ContestException("contest_ended", "contest " + contestId + " ended at " + c.endsAt());
        }
        if (questionId == null || questionId.isBlank()) {
            throw new ContestException("bad_request", "questionId is required");
        }
        ContestQuestion q = c.question(questionId).orElseThrow(() -> new ContestException("unknown_question",
                "contest " + contestId + " has no question " + questionId));
        if (answer == null) {
            throw new ContestException("bad_request", "answer is required (the option's index or text)");
        }
        if (!contests.isRegistered(contestId, userId)) {
            throw new ContestException("not_registered", userId + " is not registered for contest " + contestId);
        }
        long elapsed = Duration.between(c.startsAt(), at).toMillis();
        boolean correct = q.isCorrect(answer);
        long points = correct ? scoring.points(c, q, elapsed) : 0;
        Submission s = board.submit(contestId, userId, new AnswerRecord(questionId, correct, points, elapsed));
        if (!s.duplicate()) {
            onBoardChanged.accept(contestId);
        }
        AnswerRecord first = s.answer();
        return new AnswerResult("ok", contestId, questionId, first.correct(), first.points(), s.score(), s.rank(),
                s.duplicate(), first.elapsedMillis());
    }

    /** The leaderboard payload: {@code {contestId, state, leaderboard:[{rank,userId,score}], participants}}. */
    public Map<String, Object> leaderboard(Contest c, int limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contestId", c.id());
        m.put("state", c.state(now()).wire());
        m.put("leaderboard", board.top(c.id(), limit));
        m.put("participants", board.size(c.id()));
        return m;
    }

    /** Refuses a missing or malformed user id with {@code bad_request}. */
    public static String checkUser(String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw new ContestException("bad_request", "userId must be 1..64 characters of [A-Za-z0-9_.@:-]");
        }
        return userId;
    }

    /** How long a node may hold the right to announce a milestone before another may take it. */
    static final java.time.Duration CLAIM_LEASE = java.time.Duration.ofSeconds(10);

    /** Whether this caller may announce {@code milestone} now (cluster-wide; a dead claimer's lease runs out). */
    boolean claim(String contestId, String milestone) {
        return contests.claim(contestId, milestone, CLAIM_LEASE);
    }

    /** The milestone was announced. */
    void announced(String contestId, String milestone) {
        contests.done(contestId, milestone);
    }

    /** Whether any node announced the milestone. */
    boolean wasAnnounced(String contestId, String milestone) {
        return contests.isDone(contestId, milestone);
    }
}
