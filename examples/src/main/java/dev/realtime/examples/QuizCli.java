package dev.realtime.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.jakarta.client.RealtimeClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The terminal client of the quiz pipeline: {@code quiz FILE.pdf --server URL [--questions N] [--difficulty D]}.
 * Uploads the PDF, asks for a quiz over the native protocol, draws a live progress bar with page and question
 * counts, and prints the finished quiz and its share URL. Exit code 0 on success, 1 on a quiz error, 2 on bad
 * arguments.
 *
 * <p>Run it from the example server's jar:
 * {@code java -cp examples/target/realtime-server.jar dev.realtime.examples.QuizCli paper.pdf --server http://localhost:8080}
 *
 * @since 0.1
 */
public final class QuizCli {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintStream out;
    private final URI server;

    QuizCli(URI server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path pdf = null;
        String server = "http://localhost:8080";
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> server = value(args, ++i);
                case "--questions" -> options.put("questionsPerPage", Integer.parseInt(value(args, ++i)));
                case "--difficulty" -> options.put("difficulty", value(args, ++i));
                case "--language" -> options.put("language", value(args, ++i));
                case "--images" -> options.put("generateImages", true);
                case "--help", "-h" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    if (args[i].startsWith("--") || pdf != null) {
                        System.err.println("unknown argument: " + args[i]);
                        usage(System.err);
                        System.exit(2);
                    }
                    pdf = Path.of(args[i]);
                }
            }
        }
        if (pdf == null || !Files.isRegularFile(pdf)) {
            System.err.println(pdf == null ? "no PDF given" : "no such file: " + pdf);
            usage(System.err);
            System.exit(2);
        }
        int code = new QuizCli(URI.create(server), System.out).run(pdf, options);
        System.exit(code);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value for " + args[i - 1]);
        }
        return args[i];
    }

    private static void usage(PrintStream s) {
        s.println("Usage: quiz FILE.pdf [--server http://localhost:8080] [--questions N] "
                + "[--difficulty easy|medium|hard|mixed] [--language L] [--images]");
    }

    /** Uploads, generates and prints; returns the exit code. */
    int run(Path pdf, Map<String, Object> options) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(server.resolve("/api/files"))
                .header("Content-Type", "application/pdf").header("X-Filename", pdf.getFileName().toString())
                .POST(HttpRequest.BodyPublishers.ofFile(pdf)).build(), HttpResponse.BodyHandlers.ofString());
        if (up.statusCode() != 201) {
            out.println("upload failed (" + up.statusCode() + "): " + up.body());
            return 1;
        }
        String filename = MAPPER.readTree(up.body()).path("filename").asText();
        out.println("uploaded " + pdf.getFileName() + " (" + Files.size(pdf) / 1024 + " KB)");

        URI ws = URI.create((server.getScheme().equals("https") ? "wss" : "ws") + "://" + server.getAuthority() + "/ws");
        CompletableFuture<Integer> done = new CompletableFuture<>();
        int[] pages = {0, 0};
        int[] questions = {0};
        try (RealtimeClient client = RealtimeClient.builder(ws).build()) {
            client.on("quiz-event", e -> {
                JsonNode d = e.data().path("data");
                switch (e.data().path("type").asText()) {
                    case "pdf-processed" -> pages[1] = d.path("totalPages").asInt();
                    case "page-processing" -> pages[0] = Math.max(pages[0], d.path("currentPage").asInt() - 1);
                    case "question-generated" -> {
                        questions[0] = d.path("totalQuestions").asInt(questions[0] + 1);
                        pages[0] = Math.max(pages[0], d.path("currentPage").asInt(pages[0]));
                    }
                    case "page-skipped", "page-error" -> pages[0] = Math.max(pages[0], d.path("currentPage").asInt());
                    case "finalizing" -> pages[0] = pages[1];
                    default -> { }
                }
                bar(pages[0], pages[1], questions[0], e.data().path("type").asText());
            });
            client.on("quiz-complete", e -> {
                out.println();
                printQuiz(e.data().path("data"));
                done.complete(0);
            });
            client.on("quiz-error", e -> {
                out.println();
                out.println("quiz failed at " + e.data().path("stage").asText() + ": " + e.data().path("message").asText()
                        + " (" + e.data().path("error").asText() + ")");
                done.complete(1);
            });
            client.connect().orTimeout(10, TimeUnit.SECONDS).join();
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("filename", filename);
            request.put("options", options);
            client.emit("generate-quiz", request).orTimeout(10, TimeUnit.SECONDS).join();
            return done.orTimeout(30, TimeUnit.MINUTES).join();
        }
    }

    private void bar(int done, int total, int questions, String stage) {
        int width = 30;
        int filled = total == 0 ? 0 : Math.min(width, done * width / total);
        out.print("\r[" + "#".repeat(filled) + "-".repeat(width - filled) + "] page " + done + "/" + total + "  "
                + questions + " questions  " + String.format("%-20s", stage));
        out.flush();
    }

    private void printQuiz(JsonNode data) {
        JsonNode quiz = data.path("quiz");
        out.println(data.path("title").asText() + " — " + data.path("totalQuestions").asInt() + " questions");
        int n = 1;
        for (JsonNode q : quiz.path("questions")) {
            out.println();
            out.println(n++ + ". " + q.path("question").asText());
            int i = 0;
            for (JsonNode o : q.path("options")) {
                out.println("   " + (char) ('A' + i) + (i == q.path("correctAnswerIndex").asInt() ? "*" : " ") + " "
                        + o.asText());
                i++;
            }
        }
        out.println();
        out.println("share: " + data.path("shareUrl").asText());
        out.println("magic link: " + data.path("magicLink").asText());
    }

}
