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
