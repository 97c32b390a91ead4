package dev.realtime.core.interview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline {@link Transcriber}: Debian's CMU Sphinx command line ({@code apt-get install pocketsphinx
 * pocketsphinx-en-us}) with its US English model, no network and no key. Accepts PCM WAV (any rate, bit depth and
 * channel count) and raw 16-bit PCM with its {@code sampleRate}; the audio is converted in Java to the 16 kHz mono
 * 16-bit PCM the model needs, written to a temporary file and handed to the process. Compressed formats
 * ({@code webm}, {@code ogg}, {@code mp3}) fail with {@code unsupported_format} (use {@link GeminiTranscriber}).
 *
 * <p>Two command lines are supported, whichever is on the {@code PATH}: pocketsphinx 5 ({@code pocketsphinx
 * single file.wav}, one JSON line with the text in {@code "t"}) and the older {@code pocketsphinx_continuous
 * -infile file.wav} (Debian 12), which prints one line per utterance: each one is reported as a partial result of a
 * long clip before the final text.
 *
 * <p><b>Threads.</b> {@link #transcribe} runs on the caller's (the gateway's transcription worker) thread and
 * waits for the process; a process that outlives {@code timeout} is killed (from the JDK's delayed executor, no
 * thread of this class) and the call fails with {@code timeout}. Thread-safe; each call runs its own process.
 *
 * @since 0.2
 */
public final class PocketsphinxTranscriber implements Transcriber {
    private static final Logger log = LoggerFactory.getLogger(PocketsphinxTranscriber.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where Debian's pocketsphinx-en-us puts the model. */
    public static final Path DEBIAN_MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");
    /** How to make this transcriber available, for error messages. */
    public static final String HOW_TO_ENABLE = "offline transcription needs CMU Sphinx: install Debian's "
            + "packages 'pocketsphinx' and 'pocketsphinx-en-us' (apt-get install pocketsphinx pocketsphinx-en-us), "
            + "or configure a Gemini key for the Gemini transcriber";

    private final Path command;
    private final boolean version5;
    private final Path model;
    private final Duration timeout;
    private final int maxSeconds;

    private PocketsphinxTranscriber(Builder b) {
        this.command = b.command;
        this.version5 = command.getFileName().toString().equals("pocketsphinx");
        this.model = b.model;
        this.timeout = b.timeout;
        this.maxSeconds = b.maxSeconds;
    }

    /**
     * The offline transcriber when the command and the model are installed; otherwise a transcriber that fails
     * with {@code unavailable} and {@link #HOW_TO_ENABLE}.
     */
    public static Transcriber detect() {
        Optional<Path> cmd = findCommand();
        if (cmd.isEmpty() || !Files.isDirectory(DEBIAN_MODEL.resolve("en-us"))) {
            return Transcriber.unavailable(HOW_TO_ENABLE);
        }
        return builder(cmd.get()).build();
    }

    /** {@code pocketsphinx} (version 5) or {@code pocketsphinx_continuous} on the {@code PATH}. */
    public static Optional<Path> findCommand() {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin");
        for (String name : List.of("pocketsphinx", "pocketsphinx_continuous")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** A builder running {@code command} ({@code pocketsphinx} or {@code pocketsphinx_continuous}). */
    public static Builder builder(Path command) {
        return new Builder(command);
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public Transcript transcribe(AudioClip clip, Consumer<String> partial) {
        if (!clip.isPcm()) {
            throw new InterviewException("unsupported_format", "the offline transcriber reads PCM WAV or pcm16, not "
                    + clip.format() + "; record WAV/PCM or configure the Gemini transcriber");
        }
        Pcm pcm = Pcm.decode(clip);
        if (pcm.seconds() > maxSeconds) {
            throw new InterviewException("too_large", "clips longer than " + maxSeconds + " s are not transcribed");
        }
        byte[] wav = pcm.resample(16_000).toWav();
        Path file = null;
        try {
            file = Files.createTempFile("interview-", ".wav");
            Files.write(file, wav);
            return run(file, partial);
        } catch (IOException e) {
            throw new InterviewException("failed", "could not run " + command + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.debug("could not delete {}", file);
                }
            }
        }
    }

    private List<String> commandLine(Path file) {
        List<String> cmd = new ArrayList<>(List.of(command.toString()));
        if (model != null) {
            cmd.addAll(List.of("-hmm", model.resolve("en-us").toString(), "-lm", model.resolve("en-us.lm.bin")
                    .toString(), "-dict", model.resolve("cmudict-en-us.dict").toString()));
        }
        if (version5) {
            cmd.addAll(List.of("-loglevel", "FATAL", "single", file.toString()));
        } else {
            cmd.addAll(List.of("-logfn", "/dev/null", "-infile", file.toString()));
        }
        return cmd;
    }

    private Transcript run(Path file, Consumer<String> partial) throws IOException {
        Process p = new ProcessBuilder(commandLine(file)).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        AtomicBoolean killed = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (p.isAlive()) {
                killed.set(true);
                p.destroyForcibly();
            }
        });
        List<String> utterances = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String text = version5 ? textOf(line) : line.trim();
                if (text.isEmpty()) {
                    continue;
                }
                if (!utterances.isEmpty()) {
                    partial.accept(String.join(" ", utterances));
                }
                utterances.add(text);
            }
        } catch (IOException e) {
            if (!killed.get()) {
                throw e;
            }
        }
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterviewException("failed", "interrupted");
        }
        if (killed.get()) {
            throw new InterviewException("timeout", "the offline transcriber took longer than " + timeout.toSeconds()
                    + " s");
        }
        if (p.exitValue() != 0 && utterances.isEmpty()) {
            throw new InterviewException("failed", command.getFileName() + " exited with " + p.exitValue());
        }
        return new Transcript(String.join(" ", utterances), name(), null);
    }

    private static String textOf(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n.path("t").asText("").trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Configures a {@link PocketsphinxTranscriber}. Not thread-safe. */
    public static final class Builder {
        private final Path command;
        private Path model;
        private Duration timeout = Duration.ofSeconds(60);
        private int maxSeconds = 120;

        private Builder(Path command) {
            this.command = Objects.requireNonNull(command, "command");
        }

        /**
         * The model directory holding {@code en-us/}, {@code en-us.lm.bin} and {@code cmudict-en-us.dict} (default:
         * the command's built-in default, which is Debian's {@link #DEBIAN_MODEL}).
         */
        public Builder model(Path dir) {
            this.model = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** How long one process may run before it is killed (default 60 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** The longest clip accepted, in seconds (default 120). */
        public Builder maxSeconds(int seconds) {
            if (seconds < 1) {
                throw new IllegalArgumentException("maxSeconds must be >= 1");
            }
            this.maxSeconds = seconds;
            return this;
        }

        public PocketsphinxTranscriber build() {
            return new PocketsphinxTranscriber(this);
        }
    }
}
