package dev.realtime.examples;

import dev.realtime.core.DaemonThreads;
import dev.realtime.core.llm.ApiKeyPool;
import dev.realtime.core.llm.GeminiClient;
import dev.realtime.core.llm.GeminiKeyRotatingClient;
import dev.realtime.core.quiz.FileStore;
import dev.realtime.core.quiz.GeminiQuestionGenerator;
import dev.realtime.core.quiz.Quiz;
import dev.realtime.core.quiz.QuizPipeline;
import dev.realtime.core.quiz.OfflineQuestionGenerator;
import dev.realtime.core.quiz.QuestionFlow;
import dev.realtime.core.quiz.QuestionGenerator;
import dev.realtime.core.security.JwtAuthenticator;
import dev.realtime.redis.RedisBackend;
import dev.realtime.redis.RedisOptions;
import dev.realtime.redis.RedisQuizStore;
import dev.realtime.core.contest.ContestGateway;
import dev.realtime.core.contest.ContestStore;
import dev.realtime.core.contest.LeaderboardStore;
import dev.realtime.core.contest.QuestionBank;
import dev.realtime.redis.RedisContestStore;
import dev.realtime.redis.RedisLeaderboardStore;
import dev.realtime.redis.RedisQuestionBank;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.server.HttpRoute;
import dev.realtime.jakarta.server.RealtimeServer;
import dev.realtime.jakarta.server.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone example server ({@code java -jar realtime-server.jar --port 8080}): an in-memory hub, the
 * {@link RealtimeServer} (WebSocket {@code /ws}, {@code /health}, the job publish and history API), a demo job
 * endpoint {@code POST /api/demo-jobs} and a small page at {@code /} that shows demo jobs live.
 *
 * <p>Owns the hub, the server and the demo scheduler; {@link #close()} (also run by the shutdown hook on Ctrl-C)
 * stops all three.
 *
 * @since 0.1
 */
public final class ExampleServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExampleServer.class);
    /** Grizzly and Tyrus log through java.util.logging; keep their INFO chatter out of the console. */
    private static final java.util.logging.Logger GLASSFISH = java.util.logging.Logger.getLogger("org.glassfish");

    private final RealtimeHub hub;
    private final RealtimeServer server;
    private final QuestionFlow questions;
    private final QuizPipeline quizzes;
    private final FileStore files;
    /** The Redis quiz store in cluster mode (this server closes it), else null. */
    private final RedisQuizStore sharedQuizzes;
    private final ScheduledExecutorService demoJobs;
    private final ContestGateway contests;
    private final dev.realtime.core.interview.InterviewGateway interviews;
    /** The contest, leaderboard and question stores (Redis in cluster mode); this server closes them. */
    private final List<AutoCloseable> contestStores;
    private final FileRoutes fileRoutes;
    /** {@code POST /api/demo-jobs}, on {@link #demoJobs}. */
    private final DemoJobs demo;

    public ExampleServer(ServerOptions options) {
        this(options, System.getenv());
    }

    /** As {@link #ExampleServer(ServerOptions)}, reading seed 004's GEMINI_API_KEY* variables from {@code env}. */
    public ExampleServer(ServerOptions options, Map<String, String> env) {
        dev.realtime.core.interview.SessionAccess interviewAccess = InterviewSetup.access(options);
        this.hub = hub(options, interviewAccess);
        Optional<GeminiKeyRotatingClient> gemini = gemini(options, env);
        QuestionGenerator generator = gemini.<QuestionGenerator>map(g -> GeminiQuestionGenerator.builder(g).build())
                .orElseGet(OfflineQuestionGenerator::new);
        this.interviews = InterviewSetup.gateway(hub, interviewAccess, options, gemini);
        this.questions = QuestionFlow.register(hub, generator, Duration.ofSeconds(30), 4);
        this.files = FileStore.localDirectory(dataDir(options), MAX_UPLOAD_BYTES);
        QuizPipeline.Builder quiz = QuizPipeline.builder(hub).generator(generator).fileStore(files);
        this.sharedQuizzes = options.value("redis")
                .map(url -> new RedisQuizStore(RedisOptions.builder().url(url).build())).orElse(null);
        if (sharedQuizzes != null) {
            quiz.quizStore(sharedQuizzes); // quizzes and magic links answer on every node
        }
        this.quizzes = quiz
                .publicBaseUrl(options.value("public-url").orElse("http://localhost:" + options.port()))
                .build().register();
        this.demoJobs = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("demo-jobs"));
        Optional<String> apiKey = options.apiKey();
        this.fileRoutes = new FileRoutes(hub, files, apiKey.orElse(null),
                options.number("upload-quota-mb", 200) << 20);
        this.demo = new DemoJobs(hub, demoJobs, fileRoutes, apiKey);
        ContestStore contestStore = options.value("redis").<ContestStore>map(url -> new RedisContestStore(
                RedisOptions.builder().url(url).build())).orElseGet(ContestStore::inMemory);
        LeaderboardStore board = options.value("redis").<LeaderboardStore>map(url -> new RedisLeaderboardStore(
                RedisOptions.builder().url(url).build())).orElseGet(LeaderboardStore::inMemory);
        QuestionBank bank = options.value("redis").<QuestionBank>map(url -> new RedisQuestionBank(
                RedisOptions.builder().url(url).build())).orElseGet(QuestionBank::inMemory);
        this.contestStores = List.of(contestStore, board, bank);
        this.contests = ContestGateway.builder(hub).contestStore(contestStore).leaderboardStore(board)
                .questionGenerator(generator).build();
        ContestRoutes.startDemo(contests.service());
        ContestRoutes contestRoutes = new ContestRoutes(contests.service(), bank, generator, fileRoutes, hub.mapper());
        Duration retention = Duration.ofHours(options.number("upload-retention-hours", 24));
        demoJobs.scheduleWithFixedDelay(() -> cleanUploads(retention), 1, 10, TimeUnit.MINUTES);
        RealtimeServer.Builder b = RealtimeServer.builder().hub(hub).port(options.port()).host(options.host())
                .route("POST", "/api/demo-jobs", demo::start)
                .route("POST", "/api/files", MAX_UPLOAD_BYTES, fileRoutes::upload)
                .route("GET", "/api/files/*", fileRoutes::download)
                .route("GET", "/api/quizzes/*", r -> fileRoutes.quiz(r,
                        quizzes.store().byId(FileRoutes.last(r.path()))))
                .route("GET", "/q/*", r -> fileRoutes.shared(r,
                        quizzes.store().byMagicToken(FileRoutes.last(r.path()))))
                .route("GET", "/api/contest", contestRoutes::contest)
                .route("POST", "/api/contest", contestRoutes::contest)
                .route("GET", "/api/contest/*", contestRoutes::contest)
                .route("POST", "/api/contest/*", contestRoutes::contest)
                .route("DELETE", "/api/contest/*", contestRoutes::contest)
                .route("GET", "/api/questions", contestRoutes::questions)
                .route("POST", "/api/questions", contestRoutes::questions)
                .route("PUT", "/api/questions", contestRoutes::questions)
                .route("DELETE", "/api/questions", contestRoutes::questions)
                .route("GET", "/", request -> HttpRoute.Response.html(page()))
                .route("GET", "/console.js", request -> asset("/static/console.js", "text/javascript; charset=utf-8"))
                .route("GET", "/vendor/socket.io.min.js",
                        request -> asset("/static/vendor/socket.io.min.js", "text/javascript; charset=utf-8"));
        options.apiKey().ifPresent(b::apiKey);
        this.server = b.build();
    }

    /** The hub: Redis when {@code --redis} is given, JWT when a secret or JWKS is, origins when listed. */
    private static RealtimeHub hub(ServerOptions options, dev.realtime.core.interview.SessionAccess interviews) {
        RealtimeHub.Builder b = RealtimeHub.builder();
        b.allowRooms(dev.realtime.core.interview.SessionAccess.PREFIX, interviews); // the interview join rule
        int historySize = (int) options.number("history-size", 100);
        b.historySize(historySize);
        // user rooms keep history too: a browser resumes its pushes (notifications, quiz_status, ...) after a drop
        b.historyRooms(room -> room.startsWith("job:") || room.startsWith("user:"));
        options.value("redis").ifPresent(url -> {
            b.backend(RedisBackend.create(dev.realtime.redis.RedisOptions.builder().url(url)
                    .historySize(historySize).build())); // the hub closes it
            log.info("cluster mode: history, owners, events, presence and recovery in Redis at {}", redactUrl(url));
        });
        Optional<String> secret = options.value("jwt-secret");
        Optional<String> jwks = options.value("jwks");
        if (secret.isPresent() && jwks.isPresent()) {
            throw new IllegalArgumentException("give either --jwt-secret or --jwks, not both");
        }
        secret.ifPresent(s -> b.authenticator(JwtAuthenticator.builder().hmacSecret(s).build()));
        jwks.ifPresent(j -> b.authenticator(j.startsWith("http://") || j.startsWith("https://")
                ? JwtAuthenticator.builder().jwksUrl(URI.create(j)).build()
                : JwtAuthenticator.builder().jwksFile(Path.of(j)).build()));
        List<String> proxies = options.list("trusted-proxies");
        if (!proxies.isEmpty()) {
            b.trustedProxies(dev.realtime.core.security.TrustedProxies.of(proxies));
        }
        List<String> origins = options.list("allowed-origins");
        if (!origins.isEmpty()) {
            b.allowedOrigins(origins);
        }
        return b.build();
    }

    /** Gemini with key rotation when keys are configured (questions, transcription, suggestions), else empty. */
    static Optional<GeminiKeyRotatingClient> gemini(ServerOptions options, Map<String, String> env) {
        ApiKeyPool.Builder keys = ApiKeyPool.builder();
        List<String> flagKeys = options.list("gemini-keys");
        if (!flagKeys.isEmpty()) {
            flagKeys.forEach(keys::addKey);
        } else {
            keys.keysFromEnvironment(env);
        }
        ApiKeyPool pool;
        try {
            pool = keys.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            log.info("no Gemini keys: questions come from the offline generator (set --gemini-keys or GEMINI_API_KEYS)");
            return Optional.empty();
        }
        GeminiClient.Builder client = GeminiClient.builder();
        options.value("gemini-base-url").ifPresent(client::baseUrl);
        options.value("gemini-model").ifPresent(client::model);
        log.info("questions from Gemini with {} rotating key(s)", pool.size());
        return Optional.of(GeminiKeyRotatingClient.builder(client.build(), pool).build());
    }

    private static String redactUrl(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    /** Largest accepted upload (and HTTP body): 50 MB. */
    static final long MAX_UPLOAD_BYTES = 50L << 20;

    private static Path dataDir(ServerOptions options) {
        try {
            Path dir = options.value("data-dir").map(Path::of)
                    .orElse(java.nio.file.Files.createTempDirectory("realtime-data"));
            java.nio.file.Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the data directory", e);
        }
    }

    /** Where uploads and page images are stored (for tests and embedding). */
    public FileStore files() {
        return files;
    }

    /** The contest gateway (for tests and embedding). */
    public ContestGateway contests() {
        return contests;
    }

    /** The interview gateway on {@code /interview} (for tests and embedding). */
    public dev.realtime.core.interview.InterviewGateway interviews() {
        return interviews;
    }

    /** The quiz pipeline (for tests and embedding). */
    public QuizPipeline quizzes() {
        return quizzes;
    }

    /** Starts listening; returns the bound port. */
    public int start() {
        return server.start();
    }

    public RealtimeHub hub() {
        return hub;
    }

    /** A file of the demo console, from the jar. */
    private static HttpRoute.Response asset(String resource, String contentType) {
        try (InputStream in = ExampleServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new RealtimeException(ErrorCode.NOT_FOUND, "missing from the jar: " + resource);
            }
            return new HttpRoute.Response(200, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static String page() {
        try (InputStream in = ExampleServer.class.getResourceAsStream("/static/index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read index.html", e);
        }
    }

    /** Deletes uploads and page images older than the retention (runs every 10 minutes). */
    private void cleanUploads(Duration retention) {
        try {
            int n = files.deleteOlderThan(java.time.Instant.now().minus(retention));
            if (n > 0) {
                log.info("deleted {} upload(s) older than {}", n, retention);
            }
        } catch (RuntimeException e) {
            log.warn("upload cleanup failed: {}", e.toString());
        }
    }

    /** Stops the server, the hub and the demo scheduler. */
    @Override
    public void close() {
        server.close();
        quizzes.close();
        if (sharedQuizzes != null) {
            sharedQuizzes.close();
        }
        questions.close();
        contests.close();
        interviews.close();
        hub.close();
        for (AutoCloseable store : contestStores) {
            try {
                store.close();
            } catch (Exception e) {
                log.warn("contest store close failed: {}", e.toString());
            }
        }
        demoJobs.shutdownNow();
    }

    public static void main(String[] args) throws InterruptedException {
        GLASSFISH.setLevel(Level.WARNING);
        ServerOptions options;
        try {
            options = ServerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            log.error("{}\n{}", e.getMessage(), ServerOptions.usage("java -jar realtime-server.jar"));
            System.exit(2);
            return;
        }
        if (options.help()) {
            log.info("\n{}", ServerOptions.usage("java -jar realtime-server.jar"));
            return;
        }
        ExampleServer example = new ExampleServer(options);
        int port = example.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            example.close();
            stopped.countDown();
        }, "shutdown"));
        String host = "0.0.0.0".equals(options.host()) ? "localhost" : options.host();
        log.info("""
                realtime example server ready
                  demo page:    http://{}:{}/
                  WebSocket:    ws://{}:{}/ws   (native protocol)
                  health:       GET  http://{}:{}/health
                  publish:      POST http://{}:{}/api/jobs/{jobId}/events  {}
                  history:      GET  http://{}:{}/api/jobs/{jobId}/history?after=0&limit=100
                  demo job:     POST http://{}:{}/api/demo-jobs  {"steps":10,"intervalMs":300}
                  Socket.IO:    http://{}:{}/jobs, /quiz, /interview  (socket.io-client, websocket transport)
                  interviews:   /interview  session:join, session:status, audio:stream, transcription:request
                  contests:     GET  http://{}:{}/api/contest   (live demo: contest:join {"contestId":"demo","userId":"you"})
                  quiz:         java -cp examples/target/realtime-server.jar dev.realtime.examples.QuizCli FILE.pdf --server http://{}:{}
                Press Ctrl-C to stop.""",
                host, port, host, port, host, port, host, port,
                options.apiKey().isPresent() ? "(header X-Api-Key)" : "(open: no API key set)",
                host, port, host, port, host, port, host, port, host, port);
        stopped.await();
    }
}
