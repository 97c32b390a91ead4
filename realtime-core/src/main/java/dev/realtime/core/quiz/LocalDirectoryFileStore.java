package dev.realtime.core.quiz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The default {@link FileStore}: files in one local directory, named by 128 random bits in hex plus the original
 * extension ({@code .pdf}, {@code .png}, {@code .jpg}, else {@code .bin}). Names that are not exactly a plain
 * file name of the store's form ({@code ../x}, {@code a/b}, absolute paths, ...) are refused before touching the
 * disk. Writes go to a temporary file that is moved into place, so readers never see half a file.
 *
 * <p>Thread-safe. Holds no open resources.
 *
 * @since 0.1
 */
public final class LocalDirectoryFileStore implements FileStore {
    /** 50 MB, the pipeline's default size limit. */
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
    private static final String OWNER_SUFFIX = ".owner";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]{0,127}\\.[a-z0-9]{1,8}");
    private static final Set<String> EXTENSIONS = Set.of("pdf", "png", "jpg", "jpeg");
    private static final byte[] PDF_SIGNATURE = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    private final Path directory;
    private final long maxBytes;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param directory created when missing
     * @param maxBytes  largest accepted file, at least 1
     */
    public LocalDirectoryFileStore(Path directory, long maxBytes) {
        Objects.requireNonNull(directory, "directory");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1: " + maxBytes);
        }
        try {
            this.directory = Files.createDirectories(directory).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create file store directory " + directory, e);
        }
        this.maxBytes = maxBytes;
    }

    /** The directory files are stored in. */
    public Path directory() {
        return directory;
    }

    @Override
    public String save(byte[] content, String originalName) {
        return save(content, originalName, null);
    }

    /** Stores the file and, with an owner, a sidecar {@code name.owner} naming it (kept across restarts). */
    @Override
    public String save(byte[] content, String originalName, String owner) {
        Objects.requireNonNull(content, "content");
        if (content.length > maxBytes) {
            throw QuizException.validation("too_large",
                    "File is too large: " + content.length + " bytes (limit " + maxBytes + ")");
        }
        String ext = extension(originalName);
        if ("pdf".equals(ext) && !hasPdfSignature(content)) {
            throw QuizException.validation("not_pdf", "File is not a PDF (missing %PDF- signature)");
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String name = HexFormat.of().formatHex(id) + "." + ext;
        try {
            Path tmp = Files.createTempFile(directory, ".upload-", ".tmp");
            try {
                Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING);
                Files.move(tmp, directory.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                if (owner != null) {
                    Files.writeString(directory.resolve(name + OWNER_SUFFIX), owner, StandardCharsets.UTF_8);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new QuizException(dev.realtime.core.ErrorCode.UNAVAILABLE, "storage", QuizException.VALIDATION,
                    "Could not store file", e);
        }
        return name;
    }

    @Override
    public InputStream open(String name) {
        try {
            return Files.newInputStream(resolve(name));
        } catch (NoSuchFileException e) {
            throw notFound(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long size(String name) {
        try {
            return Files.size(resolve(name));
        } catch (NoSuchFileException e) {
            throw notFound(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Path> localPath(String name) {
        Path p = resolve(name);
        if (!Files.isRegularFile(p)) {
            throw notFound(name);
        }
        return Optional.of(p);
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public Optional<String> ownerOf(String name) {
        Path p = resolve(name);
        try {
            return Optional.of(Files.readString(directory.resolve(name + OWNER_SUFFIX), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            if (!Files.isRegularFile(p)) {
                throw notFound(name);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long bytesOwnedBy(String owner) {
        long total = 0;
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            for (Path sidecar : (Iterable<Path>) files.filter(f -> f.getFileName().toString()
                    .endsWith(OWNER_SUFFIX))::iterator) {
                if (owner.equals(Files.readString(sidecar, StandardCharsets.UTF_8))) {
                    String file = sidecar.getFileName().toString();
                    Path data = directory.resolve(file.substring(0, file.length() - OWNER_SUFFIX.length()));
                    total += Files.exists(data) ? Files.size(data) : 0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    @Override
    public int deleteOlderThan(java.time.Instant cutoff) {
        int deleted = 0;
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (NAME.matcher(n).matches()
                        && Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(f);
                    Files.deleteIfExists(directory.resolve(n + OWNER_SUFFIX));
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deleted;
    }

    /** Whether {@code content} starts with {@code %PDF-}. */
    static boolean hasPdfSignature(byte[] content) {
        if (content.length < PDF_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < PDF_SIGNATURE.length; i++) {
            if (content[i] != PDF_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private Path resolve(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw notFound(name);
        }
        Path p = directory.resolve(name).normalize();
        if (!directory.equals(p.getParent())) {
            throw notFound(name);
        }
        return p;
    }

    private static String extension(String originalName) {
        if (originalName == null) {
            return "bin";
        }
        int dot = originalName.lastIndexOf('.');
        String ext = dot < 0 ? "" : originalName.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!EXTENSIONS.contains(ext)) {
            return "bin";
        }
        return "jpeg".equals(ext) ? "jpg" : ext;
    }

    private static QuizException notFound(String name) {
        return QuizException.validation("not_found", "File not found: " + name);
    }
}
