package dev.realtime.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.core.quiz.TestPdfs;
import dev.realtime.jakarta.server.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The newcomer's main job end to end: the example server, a real PDF, the terminal command, the share links. */
@Timeout(60)
class QuizCliTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void terminalCommandUploadsGeneratesAndPrintsTheQuiz(@TempDir Path dir) throws Exception {
        Path pdf = dir.resolve("biology.pdf");
        Files.write(pdf, TestPdfs.builder().textPages(3).blank().build());
        ServerOptions options = ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
                "--data-dir", dir.resolve("data").toString()}, Map.of());
        try (ExampleServer example = new ExampleServer(options, Map.of())) {
            int port = example.start();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
            int code = new QuizCli(URI.create("http://127.0.0.1:" + port), out).run(pdf,
                    Map.of("questionsPerPage", 2, "difficulty", "mixed"));
            String printed = buffer.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, printed);
            assertTrue(printed.contains("page 3/4") || printed.contains("page 4/4"), printed);
            assertTrue(printed.contains("1. "), "questions printed: " + printed);
            assertTrue(printed.contains("*"), "the correct option is marked");
            String share = printed.lines().filter(l -> l.startsWith("share: ")).findFirst().orElseThrow().substring(7);
            String magic = printed.lines().filter(l -> l.startsWith("magic link: ")).findFirst().orElseThrow()
                    .substring(12);

            HttpClient http = HttpClient.newHttpClient();
            String quizId = share.substring(share.lastIndexOf('/') + 1);
            HttpResponse<String> byId = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/quizzes/" + quizId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, byId.statusCode());
            JsonNode quiz = MAPPER.readTree(byId.body());
            assertTrue(quiz.path("questions").size() >= 3, byId.body());
            assertTrue(!byId.body().contains(magic.substring(magic.lastIndexOf('/') + 1)),
                    "the public view never leaks the magic token");
            String token = magic.substring(magic.lastIndexOf('/') + 1);
            HttpResponse<String> byToken = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/" + token)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, byToken.statusCode());
            assertEquals(quiz.path("id").asText(), MAPPER.readTree(byToken.body()).path("id").asText());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/nope"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            // a multipart upload (what a browser form sends) is accepted too; a non-PDF is refused
            String boundary = "----realtime";
            byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] pdfBytes = Files.readAllBytes(pdf);
            byte[] all = new byte[body.length + pdfBytes.length + tail.length];
            System.arraycopy(body, 0, all, 0, body.length);
            System.arraycopy(pdfBytes, 0, all, body.length, pdfBytes.length);
            System.arraycopy(tail, 0, all, body.length + pdfBytes.length, tail.length);
            HttpResponse<String> multipart = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/files"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(all)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, multipart.statusCode(), multipart.body());
            assertTrue(MAPPER.readTree(multipart.body()).path("filename").asText().endsWith(".pdf"));
            HttpResponse<String> notPdf = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/files")).header("Content-Type", "application/pdf")
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, notPdf.statusCode(), notPdf.body());
        }
    }
}
