package dev.realtime.core;

import java.util.regex.Pattern;

/**
 * Room names: the rule every protocol checks, and the names of the job rooms (seed 002) that the hub and
 * {@link dev.realtime.core.jobs.JobPublisher} publish to. Stateless.
 *
 * @since 0.2
 */
public final class Rooms {
    /** Letters, digits and {@code : _ - . / @}, starting with a letter or digit, at most 200 characters. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:_\\-./@]{0,199}");

    private Rooms() {
    }

    /** Whether {@code room} is a valid room name (the rule above; not ending with {@code :}). */
    public static boolean valid(String room) {
        return room != null && VALID.matcher(room).matches() && !room.endsWith(":");
    }

    /** The room of one job: {@code job:{jobId}} (a history stream by default). */
    public static String job(String jobId) {
        return "job:" + jobId;
    }

    /** The room of one user's jobs and pushes: {@code user:{userId}}. */
    public static String user(String userId) {
        return "user:" + userId;
    }

    /** The room every job event also goes to (seed 002's "all jobs" subscription). */
    public static final String ALL_JOBS = "all-jobs";
}
