package dev.realtime.examples.spring;

import dev.realtime.core.contest.Contest;
import dev.realtime.core.contest.ContestException;
import dev.realtime.core.contest.ContestQuestion;
import dev.realtime.core.contest.ContestService;
import dev.realtime.core.contest.ContestState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 004's contest REST API on the auto-configured {@link ContestService} ({@code realtime.contest.enabled=true}):
 * {@code GET/POST /api/contest}, {@code GET /api/contest/{id}}, {@code POST/DELETE /api/contest/{id}/register?userId=}.
 * The socket events ({@code contest:join}, ...) come with the gateway bean. A refusal answers
 * {@code {"error":{"code","message"}}} with the {@link ContestException} reason. No authentication in this demo:
 * put Spring Security in front and take the user from the principal in a real application.
 */
@RestController
@RequestMapping("/api/contest")
public class ContestController {
    /** {@code POST /api/contest}: questions given inline. */
    public record NewContest(String id, String title, Instant startsAt, Long durationMinutes, Boolean openRegistration,
                             List<NewQuestion> questions) {
    }

    /** One question of {@link NewContest}. */
    public record NewQuestion(String id, String question, List<String> options, Integer correctAnswerIndex,
                              Integer points) {
    }

    private final ContestService contests;

    public ContestController(ContestService contests) {
        this.contests = contests;
    }

    @GetMapping
    public Map<String, Object> list() {
        Instant now = contests.now();
        return Map.of("contests", contests.list().stream().map(c -> c.participantView(now, false)).toList());
    }

    @GetMapping("/{id}")
    public Map<String, Object> details(@PathVariable("id") String id) {
        Contest c = contests.require(id);
        Instant now = contests.now();
        Map<String, Object> v = c.participantView(now, c.state(now) != ContestState.SCHEDULED);
        v.put("participants", contests.participantCount(id));
        v.put("leaderboard", contests.top(id, 10));
        return v;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> create(@RequestBody NewContest body) {
        if (body == null || body.questions() == null || body.questions().isEmpty()) {
            throw new ContestException("bad_request", "give \"questions\"");
        }
        Instant start = body.startsAt() != null ? body.startsAt() : contests.now();
        try {
            List<ContestQuestion> qs = new ArrayList<>();
            for (NewQuestion q : body.questions()) {
                qs.add(new ContestQuestion(q.id() != null ? q.id() : "q" + (qs.size() + 1), q.question(),
                        q.options() == null ? List.of() : q.options(),
                        q.correctAnswerIndex() == null ? -1 : q.correctAnswerIndex(),
                        q.points() == null ? ContestService.DEFAULT_POINTS : q.points(), "medium", ""));
            }
            Contest c = contests.create(new Contest(body.id() != null ? body.id() : ContestService.newId(),
                    body.title(), start, start.plus(Duration.ofMinutes(body.durationMinutes() == null ? 60
                    : body.durationMinutes())), qs, Boolean.TRUE.equals(body.openRegistration())));
            return ResponseEntity.status(HttpStatus.CREATED).body(c.participantView(contests.now(), true));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ContestException("bad_request", e.getMessage());
        }
    }

    @PostMapping("/{id}/register")
    public ResponseEntity<Map<String, Object>> register(@PathVariable("id") String id, @RequestParam("userId") String userId) {
        boolean changed = contests.register(id, userId);
        return ResponseEntity.status(changed ? HttpStatus.CREATED : HttpStatus.OK).body(registration(id, userId, true));
    }

    @DeleteMapping("/{id}/register")
    public Map<String, Object> unregister(@PathVariable("id") String id, @RequestParam("userId") String userId) {
        contests.unregister(id, userId);
        return registration(id, userId, false);
    }

    private Map<String, Object> registration(String id, String userId, boolean registered) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contestId", id);
        out.put("userId", userId);
        out.put("registered", registered);
        out.put("participants", contests.participantCount(id));
        return out;
    }

    @ExceptionHandler(ContestException.class)
    public ResponseEntity<Map<String, Object>> refused(ContestException e) {
        HttpStatus status = switch (e.code()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            default -> HttpStatus.BAD_REQUEST;
        };
        return ResponseEntity.status(status).body(Map.of("error", Map.of("code", e.reason(),
                "message", String.valueOf(e.getMessage()))));
    }
}
