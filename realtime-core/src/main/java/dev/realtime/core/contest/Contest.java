package dev.realtime.core.contest;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A contest: its questions and its window. Participants are kept by the {@link ContestStore}, the standings by
 * the {@link LeaderboardStore}. Immutable.
 *
 * @param id               unique id, 1..64 characters of {@code [A-Za-z0-9_-]}
 * @param title            what participants see
 * @param startsAt         when answers start to count (inclusive)
 * @param endsAt           when the contest ends (exclusive); at most {@link #MAX_DURATION} after the start
 * @param questions        at least one, ids unique
 * @param openRegistration whether {@code contest:join} registers the user (else only the REST registration does)
 * @since 0.1
 */
public record Contest(String id, String title, Instant startsAt, Instant endsAt, List<ContestQuestion> questions,
                      boolean openRegistration) {
    /** The longest contest window (the leaderboard encodes the time to reach a score in milliseconds). */
    public static final Duration MAX_DURATION = Duration.ofDays(10);

    public Contest {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("contest id must be 1..64 characters of [A-Za-z0-9_-]: " + id);
        }
        title = title == null || title.isBlank() ? id : title;
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt must be after startsAt");
        }
        if (Duration.between(startsAt, endsAt).compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("a contest lasts at most " + MAX_DURATION.toDays() + " days");
        }
        questions = List.copyOf(questions);
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("a contest needs at least one question");
        }
        Set<String> ids = new HashSet<>();
        for (ContestQuestion q : questions) {
            if (!ids.add(q.id())) {
                throw new IllegalArgumentException("duplicate question id: " + q.id());
            }
        }
    }

    /** The state at {@code now}. */
    public ContestState state(Instant now) {
        if (now.isBefore(startsAt)) {
            return ContestState.SCHEDULED;
        }
        return now.isBefore(endsAt) ? ContestState.LIVE : ContestState.ENDED;
    }

    /** The question with this id. */
    public Optional<ContestQuestion> question(String questionId) {
        return questions.stream().filter(q -> q.id().equals(questionId)).findFirst();
    }

    /** The contest's window length. */
    public Duration duration() {
        return Duration.between(startsAt, endsAt);
    }

    /**
     * What participants and the contest list see: id, title, window, state, question count and, when
     * {@code withQuestions}, the questions without their answers.
     */
    public Map<String, Object> participantView(Instant now, boolean withQuestions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("state", state(now).wire());
        m.put("startsAt", startsAt.toString());
        m.put("endsAt", endsAt.toString());
        m.put("openRegistration", openRegistration);
        m.put("questionCount", questions.size());
        if (withQuestions) {
            m.put("questions", questions.stream().map(ContestQuestion::participantView).toList());
        }
        return m;
    }
}
