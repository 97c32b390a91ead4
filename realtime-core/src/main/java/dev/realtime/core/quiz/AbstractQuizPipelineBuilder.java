package dev.realtime.core.quiz;

import static dev.realtime.core.Checks.atLeast;
import static dev.realtime.core.Checks.requireUnset;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.llm.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The settings and setters of {@link QuizPipeline.Builder}, the type callers name: every setter validates its
 * argument, fails fast and returns the builder; the pipeline reads the fields when it is built. Not thread-safe.
 */
abstract class AbstractQuizPipelineBuilder {
    final RealtimeHub hub;
    QuestionGenerator generator;
    FileStore fileStore;
    QuizStore quizStore;
    PdfDocumentReader reader;
    QuizMetadataExtractor metadata;
    ExecutorService executor;
    ScheduledExecutorService scheduler;
    Sleeper sleeper;
    Clock clock;
    int threads = 16;
    int maxParallelPages = 4;
    int pageRetries = 2;
    Duration retryBackoff = Duration.ofMillis(500);
    Duration heartbeatInterval = Duration.ofSeconds(10);
    int minPageChars = 40;
    int maxPages = 300;
    long maxBytes = LocalDirectoryFileStore.DEFAULT_MAX_BYTES;
    int maxQuestionsPerPage = 10;
    int maxImagesPerPage = 3;
    int maxImageWidth = 800;
    int thumbnailWidth = 200;
    String publicBaseUrl = "";

    AbstractQuizPipelineBuilder(RealtimeHub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    private QuizPipeline.Builder self() {
        return (QuizPipeline.Builder) this;
    }

    /** Writes the questions (required), e.g. {@link OfflineQuestionGenerator} or {@link GeminiQuestionGenerator}. */
    public QuizPipeline.Builder generator(QuestionGenerator generator) {
        this.generator = Objects.requireNonNull(generator, "generator");
        return self();
    }

    /** Where uploads are read and page images written (required). */
    public QuizPipeline.Builder fileStore(FileStore fileStore) {
        this.fileStore = Objects.requireNonNull(fileStore, "fileStore");
        return self();
    }

    /** Where finished quizzes go (default {@link QuizStore#inMemory()}). */
    public QuizPipeline.Builder quizStore(QuizStore quizStore) {
        this.quizStore = Objects.requireNonNull(quizStore, "quizStore");
        return self();
    }

    /** How PDFs are read (default {@link PdfDocumentReader#pdfBox()}). */
    public QuizPipeline.Builder pdfReader(PdfDocumentReader reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
        return self();
    }

    /** How title, description and topics are derived (default {@link QuizMetadataExtractor#fromText()}). */
    public QuizPipeline.Builder metadata(QuizMetadataExtractor metadata) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        return self();
    }

    /** Runs all work on your executor; the pipeline never shuts it down. Excludes {@link #threads}. */
    public QuizPipeline.Builder executor(ExecutorService executor) {
        requireUnset(this.executor, "executor");
        this.executor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /** Size of the pipeline-owned pool when no executor is given (default 16). */
    public QuizPipeline.Builder threads(int threads) {
        this.threads = atLeast(threads, 1, "threads");
        return self();
    }

    /** Runs heartbeat ticks on your scheduler; the pipeline never shuts it down. */
    public QuizPipeline.Builder scheduler(ScheduledExecutorService scheduler) {
        requireUnset(this.scheduler, "scheduler");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return self();
    }

    /** Pages of one run generated at the same time (default 4). */
    public QuizPipeline.Builder maxParallelPages(int pages) {
        this.maxParallelPages = atLeast(pages, 1, "maxParallelPages");
        return self();
    }

    /** Extra attempts for a failing page (default 2), the first after {@code backoff}, then doubling. */
    public QuizPipeline.Builder pageRetries(int retries, Duration backoff) {
        this.pageRetries = atLeast(retries, 0, "retries");
        Objects.requireNonNull(backoff, "backoff");
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative: " + backoff);
        }
        this.retryBackoff = backoff;
        return self();
    }

    /** How backoffs wait (default {@link Sleeper#system()}); must respond to interrupts. */
    public QuizPipeline.Builder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return self();
    }

    /** A {@code heartbeat} event is sent while a page has been running this long (default 10 s). */
    public QuizPipeline.Builder heartbeatInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.heartbeatInterval = interval;
        return self();
    }

    /** Pages with less text than this are skipped ({@code page-skipped}; default 40 characters). */
    public QuizPipeline.Builder minPageChars(int chars) {
        this.minPageChars = atLeast(chars, 0, "minPageChars");
        return self();
    }

    /** Largest PDF accepted, in pages (default 300) and bytes (default 50 MB). */
    public QuizPipeline.Builder limits(int maxPages, long maxBytes) {
        this.maxPages = atLeast(maxPages, 1, "maxPages");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        return self();
    }

    /** Upper bound of {@code options.questionsPerPage} (default 10, at most 50). */
    public QuizPipeline.Builder maxQuestionsPerPage(int max) {
        this.maxQuestionsPerPage = atLeast(max, 1, "maxQuestionsPerPage");
        if (max > QuestionRequest.MAX_COUNT) {
            throw new IllegalArgumentException("maxQuestionsPerPage must be <= " + QuestionRequest.MAX_COUNT);
        }
        return self();
    }

    /**
     * Page images when {@code generateImages} is set: up to {@code maxPerPage} embedded images (default 3),
     * scaled to at most {@code maxWidth} pixels (default 800), else a rendered thumbnail {@code thumbnailWidth}
     * pixels wide (default 200).
     */
    public QuizPipeline.Builder images(int maxPerPage, int maxWidth, int thumbnailWidth) {
        this.maxImagesPerPage = atLeast(maxPerPage, 0, "maxPerPage");
        this.maxImageWidth = atLeast(maxWidth, 16, "maxWidth");
        this.thumbnailWidth = atLeast(thumbnailWidth, 16, "thumbnailWidth");
        return self();
    }

    /** Source of time for timestamps and heartbeats (default UTC system clock). */
    public QuizPipeline.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Prefix of {@code magicLink} and {@code shareUrl}, e.g. {@code https://quiz.example.com} (default empty:
     * the links are root-relative paths).
     */
    public QuizPipeline.Builder publicBaseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String b = baseUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (!b.isEmpty() && !b.startsWith("http://") && !b.startsWith("https://")) {
            throw new IllegalArgumentException("baseUrl must start with http:// or https://: " + baseUrl);
        }
        this.publicBaseUrl = b;
        return self();
    }
}
