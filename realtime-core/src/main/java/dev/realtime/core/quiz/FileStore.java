package dev.realtime.core.quiz;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where uploaded PDFs and generated page images live. Stored names are chosen by the store, are unguessable
 * and keep a known extension ({@code .pdf}, {@code .png}, {@code .jpg}); clients refer to files only by these
 * names, never by paths.
 *
 * <p>Contract: {@link #save} rejects content over {@link #maxBytes()} with {@code too_large} and, for a name
 * ending in {@code .pdf}, content that does not start with the PDF signature {@code %PDF-} with {@code not_pdf}.
 * {@link #open}, {@link #size} and {@link #localPath} reject unknown names and names that are not plain file
 * names (path traversal) with {@code not_found}. All failures are {@link QuizException}s in stage
 * {@code validation}.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface FileStore {

    /**
     * Stores {@code content} and returns its new name (e.g. {@code 3f9c...e1.pdf}).
     *
     * @param originalName the client's file name; only its extension is used
     */
    String save(byte[] content, String originalName);

    /**
     * Stores {@code content} for {@code owner} (a user id, or a client address for anonymous uploads; null for
     * none) and returns its new name. Stores that keep owners make {@link #ownerOf} and {@link #bytesOwnedBy}
     * answer for it; the default ignores the owner.
     */
    default String save(byte[] content, String originalName, String owner) {
        return save(content, originalName);
    }

    /** The owner a file was saved for, if the store keeps owners and it had one. */
    default Optional<String> ownerOf(String name) {
        return Optional.empty();
    }

    /** Bytes currently stored for {@code owner} (for upload quotas); 0 when the store keeps no owners. */
    default long bytesOwnedBy(String owner) {
        return 0;
    }

    /**
     * Deletes files stored before {@code cutoff} (retention); returns how many were deleted. The default keeps
     * everything.
     */
    default int deleteOlderThan(java.time.Instant cutoff) {
        return 0;
    }

    /** Opens a stored file for reading; the caller closes the stream. */
    InputStream open(String name);

    /** Size in bytes of a stored file. */
    long size(String name);

    /** The file on the local disk when the store has one (lets the PDF reader use random access). */
    default Optional<Path> localPath(String name) {
        return Optional.empty();
    }

    /** Largest file accepted by {@link #save}, in bytes. */
    long maxBytes();

    /** The URL path under which an HTTP adapter serves the file: {@code /api/files/{name}}. */
    default String urlPath(String name) {
        return "/api/files/" + name;
    }

    /** A store in {@code directory} (created if missing) accepting files up to {@code maxBytes}. */
    static FileStore localDirectory(Path directory, long maxBytes) {
        return new LocalDirectoryFileStore(directory, maxBytes);
    }
}
