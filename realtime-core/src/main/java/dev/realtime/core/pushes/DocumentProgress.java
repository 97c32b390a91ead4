package dev.realtime.core.pushes;

import java.util.Objects;
import java.util.Set;

/**
 * One {@code document_processing} push: the state of an uploaded document. The wire payload is
 * {@code {documentId, userId, status, progress, message?, filename?, timestamp}}.
 *
 * @param documentId the document's id (e.g. the stored file name of an upload); 1..200 characters
 * @param status     one of {@code uploaded}, {@code processing}, {@code completed}, {@code failed}
 * @param progress   0..100
 * @param message    a human-readable step ("Extracting page 3 of 10"), or {@code null}
 * @param filename   the original file name, or {@code null}
 * @since 0.2
 */
public record DocumentProgress(String documentId, String status, int progress, String message, String filename) {
    /** The accepted statuses. */
    public static final Set<String> STATUSES = Set.of("uploaded", "processing", "completed", "failed");

    public DocumentProgress {
        if (documentId == null || documentId.isBlank() || documentId.length() > 200) {
            throw new IllegalArgumentException("a documentId is 1..200 characters: " + documentId);
        }
        Objects.requireNonNull(status, "status");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES + ": " + status);
        }
        if (progress < 0 || progress > 100) {
            throw new IllegalArgumentException("progress must be 0..100: " + progress);
        }
    }

    /** {@code processing} at {@code progress} percent with a message. */
    public static DocumentProgress processing(String documentId, int progress, String message) {
        return new DocumentProgress(documentId, "processing", progress, message, null);
    }
}
