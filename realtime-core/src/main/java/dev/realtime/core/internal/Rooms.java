package dev.realtime.core.internal;

import java.util.regex.Pattern;

/** Room name rules shared by every protocol. */
public final class Rooms {
    /** Letters, digits and {@code : _ - . / @}, starting with a letter or digit, at most 200 characters. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:_\\-./@]{0,199}");

    private Rooms() {
    }

    public static boolean valid(String room) {
        return room != null && VALID.matcher(room).matches() && !room.endsWith(":");
    }

    public static String job(String jobId) {
        return "job:" + jobId;
    }

    public static String user(String userId) {
        return "user:" + userId;
    }

    public static final String ALL_JOBS = "all-jobs";
}
