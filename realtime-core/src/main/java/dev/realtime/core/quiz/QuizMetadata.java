package dev.realtime.core.quiz;

import java.util.List;
import java.util.Objects;

/**
 * Title, description and topics of a quiz ({@code metadata-generated}). Immutable.
 *
 * @since 0.1
 */
public record QuizMetadata(String title, String description, List<String> topics) {
    public QuizMetadata {
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        topics = List.copyOf(topics);
    }
}
