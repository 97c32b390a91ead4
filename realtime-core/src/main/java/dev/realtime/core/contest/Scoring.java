package dev.realtime.core.contest;

/**
 * How a correct answer scores: the question's points at the contest's start, falling linearly with the server's
 * elapsed time to {@code minFraction} of them at its end (the scheme of timed programming contests); a wrong
 * answer scores 0. The time is the server's, measured when the answer arrives; the client's {@code timeSpent} is
 * never trusted. Immutable.
 *
 * @param minFraction share of the points left at the very end, {@code 0..1} (default {@value #DEFAULT_MIN_FRACTION})
 * @since 0.1
 */
public record Scoring(double minFraction) {
    /** Default share of the points a correct answer keeps at the end. */
    public static final double DEFAULT_MIN_FRACTION = 0.5;

    public Scoring {
        if (!(minFraction >= 0 && minFraction <= 1)) {
            throw new IllegalArgumentException("minFraction must be 0..1: " + minFraction);
        }
    }

    /** The default scoring. */
    public static Scoring defaults() {
        return new Scoring(DEFAULT_MIN_FRACTION);
    }

    /** Points for a correct answer to {@code question} arriving {@code elapsedMillis} after the start. */
    public long points(Contest contest, ContestQuestion question, long elapsedMillis) {
        double share = Math.max(0, Math.min(1, (double) elapsedMillis / contest.duration().toMillis()));
        return Math.round(question.points() * (1 - (1 - minFraction) * share));
    }
}
