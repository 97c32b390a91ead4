package dev.realtime.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestException;
import dev.realtime.core.contest.ContestGateway;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.ContestService;
import dev.realtime.core.contest.ContestState;
import dev.realtime.core.contest.QuestionBank;
import dev.realtime.core.contest.StoredQuestion;
import dev.realtime.core.quiz.Question;
import dev.realtime.core.quiz.QuestionGenerator;
import dev.realtime.core.quiz.QuestionRequest;
import dev.realtime.jakarta.server.HttpRoute;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The contest REST API of the example server, under {@link FileRoutes}' rule set (API key or bearer token on a
 * secured server):
 * <ul>
 *   <li>{@code GET /api/contest}, {@code GET /api/contest/{id}}: contests as participants see them (no answers).</li>
 *   <li>{@code POST /api/contest}: create, with given {@code questions} or {@code generate:{text,count,...}}.</li>
 *   <li>{@code POST|DELETE /api/contest/{id}/register}: the token's user, or {@code ?userId=} (or {@code {"userId"}}) with the key or
 *   on an open server.</li>
 *   <li>{@code GET|POST|PUT|DELETE /api/questions}: the question bank (answers only for the key or an admin).</li>
 * </ul>
 * Refusals are {@code {"error":{"code","message"}}} with the {@link ContestException} reason as code. Stateless;
 * thread-safe; runs on the server's worker threads (generation blocks one of them).
 */
final class ContestRoutes {
    private final ContestService contests;
    private final QuestionBank bank;
    private final QuestionGenerator generator;
    private final FileRoutes auth;
    private final ObjectMapper mapper;

    ContestRoutes(ContestService contests, QuestionBank bank, QuestionGenerator generator, FileRoutes auth,
                  ObjectMapper mapper) {
        this.contests = contests;
        this.bank = bank;
        this.generator = generator;
        this.auth = auth;
        this.mapper = mapper;
    }

    /** {@code /api/contest} and {@code /api/contest/*}. */
    HttpRoute.Response contest(HttpRoute.Request r) {
        return guarded(() -> {
            String rest = r.path().length() > "/api/contest".length() ? r.path().substring("/api/contest/".length())
                    : "";
            String[] parts = rest.isEmpty() ? new String[0] : rest.split("/");
            if (parts.length == 0) {
                return "GET".equals(r.method()) ? list() : create(r);
            }
            if (parts.length == 1 && "GET".equals(r.method())) {
                return details(parts[0]);
            }
            if (parts.length == 2 && "register".equals(parts[1])) {
                return register(r, parts[0], "POST".equals(r.method()));
            }
            throw new RealtimeException(ErrorCode.NOT_FOUND, "no such contest route: " + r.method() + " " + r.path());
        });
    }

    private HttpRoute.Response list() throws IOException {
        Instant now = contests.now();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Contest c : contests.list()) {
            Map<String, Object> v = c.participantView(now, false);
            v.put("participants", contests.participantCount(c.id()));
            out.add(v);
        }
        return json(200, Map.of("contests", out));
    }

    private HttpRoute.Response details(String id) throws IOException {
        Contest c = contests.require(id);
        Instant now = contests.now();
        Map<String, Object> v = c.participantView(now, c.state(now) != ContestState.SCHEDULED);
        v.put("participants", contests.participantCount(id));
        v.put("leaderboard", contests.top(id, ContestGateway.DEFAULT_LEADERBOARD_SIZE));
        return json(200, v);
    }

    private HttpRoute.Response create(HttpRoute.Request r) throws IOException {
        auth.caller(r);
        JsonNode body = body(r);
        Instant now = contests.now();
        Instant start = instant(body, "startsAt", now);
        Instant end = body.hasNonNull("endsAt") ? instant(body, "endsAt", now)
                : start.plus(Duration.ofMinutes(body.path("durationMinutes").asLong(60)));
        int points = body.path("points").asInt(ContestService.DEFAULT_POINTS);
        List<ContestQuestion> questions = new ArrayList<>();
        try {
            if (body.path("questions").isArray()) {
                for (JsonNode q : body.get("questions")) {
                    questions.add(new ContestQuestion(q.path("id").asText("q" + (questions.size() + 1)),
                            q.path("question").asText(), options(q), q.path("correctAnswerIndex").asInt(-1),
                            q.path("points").asInt(points), q.path("difficulty").asText("medium"),
                            q.path("explanation").asText("")));
                }
            } else if (body.path("generate").isObject()) {
                questions.addAll(contests.generateQuestions(request(body.get("generate")), points));
            } else {
                throw new ContestException("bad_request", "give \"questions\" or \"generate\"");
            }
            Contest c = new Contest(body.path("id").asText(ContestService.newId()), body.path("title").asText(null),
                    start, end, questions, body.path("openRegistration").asBoolean(false));
            contests.create(c);
            Map<String, Object> v = c.participantView(now, true);
            return json(201, v);
        } catch (IllegalArgumentException e) {
            throw new ContestException("bad_request", e.getMessage());
        }
    }

    private HttpRoute.Response register(HttpRoute.Request r, String id, boolean register) throws IOException {
        String user = user(r);
        boolean changed = register ? contests.register(id, user) : contests.unregister(id, user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contestId", id);
        out.put("userId", user);
        out.put("registered", register);
        out.put("changed", changed);
        out.put("participants", contests.participantCount(id));
        return json(register && changed ? 201 : 200, out);
    }

    /**
     * The user a registration is for: the token's subject, else {@code ?userId=} or the body's {@code userId} (with
     * the key, or when open).
     */
    private String user(HttpRoute.Request r) throws IOException {
        FileRoutes.Caller caller = auth.caller(r);
        boolean tokenUser = caller.owner() != null && !caller.owner().startsWith("address:");
        if (tokenUser) {
            return caller.owner();
        }
        return ContestService.checkUser(r.queryParam("userId").orElseGet(() -> {
            try {
                return body(r).path("userId").asText(null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    /** {@code /api/questions}: list, generate, verify or edit ({@code ?id=}), delete ({@code ?id=}). */
    HttpRoute.Response questions(HttpRoute.Request r) {
        return guarded(() -> switch (r.method()) {
            case "GET" -> {
                boolean answers = auth.secured() ? auth.caller(r).privileged() : true;
                List<StoredQuestion> found = bank.find(r.queryParam("examType").orElse(null),
                        r.queryParam("subject").orElse(null), r.queryParam("difficulty").orElse(null),
                        r.queryParam("verified").map(Boolean::valueOf).orElse(null),
                        r.queryParam("limit").map(Integer::parseInt).orElse(100));
                yield json(200, Map.of("questions", found.stream()
                        .map(q -> answers ? (Object) q : q.participantView()).toList()));
            }
            case "POST" -> {
                auth.caller(r);
                JsonNode body = body(r);
                List<Question> generated;
                try {
                    generated = generator.generate(request(body));
                } catch (IllegalArgumentException e) {
                    throw new ContestException("bad_request", e.getMessage());
                }
                List<StoredQuestion> saved = new ArrayList<>();
                for (Question q : generated) {
                    StoredQuestion s = new StoredQuestion(UUID.randomUUID().toString(), body.path("examType")
                            .asText(""), body.path("subject").asText(""), q, false, contests.now().toString());
                    bank.save(s);
                    saved.add(s);
                }
                yield json(201, Map.of("questions", saved));
            }
            case "PUT" -> {
                privileged(r);
                StoredQuestion q = existing(r);
                JsonNode body = body(r);
                Question replacement = null;
                if (body.has("question") || body.has("options") || body.has("correctAnswerIndex")) {
                    Question old = q.question();
                    try {
                        replacement = new Question(body.path("question").asText(old.question()),
                                body.has("options") ? options(body) : old.options(),
                                body.path("correctAnswerIndex").asInt(old.correctAnswerIndex()),
                                body.path("explanation").asText(old.explanation()),
                                body.path("difficulty").asText(old.difficulty()));
                    } catch (IllegalArgumentException e) {
                        throw new ContestException("bad_request", e.getMessage());
                    }
                }
                StoredQuestion updated = q.with(replacement, body.path("verified").asBoolean(q.verified()));
                bank.save(updated);
                yield json(200, updated);
            }
            case "DELETE" -> {
                privileged(r);
                bank.delete(existing(r).id());
                yield json(200, Map.of("deleted", r.queryParam("id").orElseThrow()));
            }
            default -> throw new RealtimeException(ErrorCode.BAD_REQUEST, "unsupported method " + r.method());
        });
    }

    private void privileged(HttpRoute.Request r) {
        if (auth.secured() && !auth.caller(r).privileged()) {
            throw new RealtimeException(ErrorCode.FORBIDDEN, "editing questions needs the API key or an admin token");
        }
    }

    private StoredQuestion existing(HttpRoute.Request r) {
        String id = r.queryParam("id").orElseThrow(() -> new ContestException("bad_request", "?id= is required"));
        return bank.byId(id).orElseThrow(() -> new ContestException("unknown_question", "no question " + id));
    }

    private static QuestionRequest request(JsonNode g) {
        String text = g.path("text").asText("");
        if (text.isBlank()) {
            text = "Write a " + g.path("questionType").asText("multiple-choice") + " question for the "
                    + g.path("examType").asText("general") + " exam on " + g.path("subject").asText("general") + ".";
        }
        return new QuestionRequest(text, g.path("count").asInt(1), g.path("difficulty").asText("mixed"), true,
                null, g.path("subject").asText(null), null);
    }

    private static List<String> options(JsonNode q) {
        List<String> out = new ArrayList<>();
        q.path("options").forEach(o -> out.add(o.asText()));
        return out;
    }

    private static Instant instant(JsonNode body, String field, Instant fallback) {
        if (!body.hasNonNull(field)) {
            return fallback;
        }
        try {
            return Instant.parse(body.get(field).asText());
        } catch (DateTimeParseException e) {
            throw new ContestException("bad_request", field + " must be an ISO-8601 instant");
        }
    }

    private JsonNode body(HttpRoute.Request r) throws IOException {
        if (r.body().length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode n;
        try {
            n = mapper.readTree(r.body());
        } catch (IOException e) {
            throw new ContestException("bad_request", "the body must be JSON");
        }
        if (n == null || !n.isObject()) {
            throw new ContestException("bad_request", "the body must be a JSON object");
        }
        return n;
    }

    private HttpRoute.Response json(int status, Object value) throws IOException {
        return HttpRoute.Response.json(status, mapper.writeValueAsString(value));
    }

    /** A route body that may throw. */
    private interface Body {
        HttpRoute.Response run() throws IOException;
    }

    /** Runs a route, answering a {@link ContestException} with its specific code. */
    private HttpRoute.Response guarded(Body body) {
        try {
            return body.run();
        } catch (ContestException e) {
            int status = switch (e.code()) {
                case NOT_FOUND -> 404;
                case FORBIDDEN -> 403;
                case UNAUTHORIZED -> 401;
                default -> 400;
            };
            try {
                return json(status, Map.of("error", Map.of("code", e.reason(), "message", e.getMessage())));
            } catch (IOException io) {
                throw new java.io.UncheckedIOException(io);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (NumberFormatException e) {
            throw new RealtimeException(ErrorCode.BAD_REQUEST, "a number was expected: " + e.getMessage());
        }
    }

    /** The demo contest's id. */
    static final String DEMO_ID = "demo";

    /** Source text of the demo contest's offline questions. */
    private static final String DEMO_TEXT = """
            The Sun is the star at the center of the Solar System. Jupiter is the largest planet in the Solar \
            System. Mars is often called the Red Planet because of the iron oxide on its surface. Venus is the \
            hottest planet in the Solar System. The Moon is the only natural satellite of the Earth. Saturn is \
            famous for its bright rings of ice and rock. Mercury is the smallest planet and the closest planet to \
            the Sun. Neptune is the most distant planet from the Sun.""";

    /**
     * Saves a live demo contest (offline questions, open registration, 24 hours from now) unless a live one
     * exists (another node of the cluster made it); returns the live one.
     */
    static Contest startDemo(ContestService contests) {
        Instant now = contests.now();
        java.util.Optional<Contest> existing = contests.list().stream()
                .filter(c -> c.id().equals(DEMO_ID) && c.state(now) == ContestState.LIVE).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        List<Question> generated = new dev.realtime.core.quiz.OfflineQuestionGenerator()
                .generate(new QuestionRequest(DEMO_TEXT, 5, "easy", true, null, "Astronomy", null));
        List<ContestQuestion> questions = new ArrayList<>();
        for (Question q : generated) {
            questions.add(ContestQuestion.of("q" + (questions.size() + 1), q, ContestService.DEFAULT_POINTS));
        }
        return contests.save(new Contest(DEMO_ID, "Demo contest: the Solar System", now, now.plus(Duration.ofHours(24)),
                questions, true));
    }
}
