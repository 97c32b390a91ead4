package dev.realtime.core.llm;

import java.util.List;

/**
 * A turn of the conversation: a role ({@code user} or {@code model}; {@code null} for a system instruction) and
 * its parts. Immutable.
 *
 * @since 0.1
 */
public record Content(String role, List<Part> parts) {
    public Content {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("parts must not be empty");
        }
    }

    /** A {@code user} turn. */
    public static Content user(Part... parts) {
        return new Content("user", List.of(parts));
    }

    /** A role-less text-only content, as used for {@code systemInstruction}. */
    public static Content system(String text) {
        return new Content(null, List.of(Part.text(text)));
    }

    /** Concatenation of all text parts, or an empty string. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p.text() != null) {
                sb.append(p.text());
            }
        }
        return sb.toString();
    }
}
