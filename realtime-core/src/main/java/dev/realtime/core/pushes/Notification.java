package dev.realtime.core.pushes;

import java.util.Objects;
import java.util.Set;

/**
 * One {@code notification} push. The wire payload is {@code {id, userId?, title, message, level, data?,
 * timestamp}}: {@code userId} is present for a notification to one user, absent for one to everybody.
 *
 * @param id      the notification's id (the frontend de-duplicates and dismisses by it); 1..200 characters
 * @param title   a short title; may be empty, never null
 * @param message the text shown to the user; never null
 * @param level   one of {@code info}, {@code success}, {@code warning}, {@code error}
 * @param data    any Jackson-serializable extra value (e.g. a link), or {@code null}
 * @since 0.2
 */
public record Notification(String id, String title, String message, String level, Object data) {
    /** The accepted levels. */
    public static final Set<String> LEVELS = Set.of("info", "success", "warning", "error");

    public Notification {
        if (id == null || id.isBlank() || id.length() > 200) {
            throw new IllegalArgumentException("a notification id is 1..200 characters: " + id);
        }
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(message, "message");
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of " + LEVELS + ": " + level);
        }
    }

    /** An {@code info} notification without extra data. */
    public static Notification info(String id, String title, String message) {
        return new Notification(id, title, message, "info", null);
    }
}
