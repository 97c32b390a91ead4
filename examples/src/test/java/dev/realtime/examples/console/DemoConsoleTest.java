package dev.realtime.examples.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.realtime.examples.ExampleServer;
import dev.realtime.jakarta.server.ServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo console of the example server, started exactly as the README's first command starts it (in memory,
 * offline question generator, no key), clicked through in a real headless Chromium: connection status, jobs,
 * PDF to quiz, one question, a contest with bots, the live hub view, and the errors it shows. A screenshot of
 * each flow goes to {@code target/console/}.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoConsoleTest {
    static final Path SHOTS = Path.of("target/console");
    private static ExampleServer server;
    private static Chromium chromium;
    private static Chromium.Tab page;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Chromium.BINARY), "Debian's chromium is not installed");
        server = new ExampleServer(ServerOptions.parse(new String[] {"--port", "0", "--host", "127.0.0.1"}, Map.of()));
        base = "http://127.0.0.1:" + server.start();
        chromium = new Chromium();
        page = chromium.open(base + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void connectionStatusShowsTheUpgradeAndTheNativeClient() throws Exception {
        page.waitFor("document.getElementById('sio-state').textContent === 'connected'", Duration.ofSeconds(20));
        // default socket.io-client options: polling first, then the upgrade to WebSocket
        page.waitFor("document.getElementById('sio-transport').textContent === 'websocket'", Duration.ofSeconds(20));
        page.waitFor("document.getElementById('native-state').textContent.startsWith('open')", Duration.ofSeconds(20));
        assertEquals("0", page.text("#sio-reconnects"));
        page.screenshot(SHOTS.resolve("connection.png"), "header");
    }

    @Test
    @Order(2)
    void threeDemoJobsShowLiveProgressToCompletion() throws Exception {
        page.click("#start-jobs");
        page.waitFor("document.querySelectorAll('#job-list [data-job]').length === 3", Duration.ofSeconds(10));
        page.waitFor("document.querySelectorAll('#job-list [data-done=true]').length === 3", Duration.ofSeconds(30));
        assertTrue(page.text("#job-list").contains("completed"));
        page.screenshot(SHOTS.resolve("jobs.png"), "#jobs");
    }

    @Test
    @Order(3)
    void aPdfBecomesAQuizPageByPageAndItsShareLinkOpens(@TempDir Path dir) throws Exception {
        Path pdf = dir.resolve("photosynthesis.pdf");
        writePdf(pdf);
        page.setFile("#pdf", pdf);
        page.click("#make-quiz");
        page.waitFor("document.getElementById('quiz-link')", Duration.ofSeconds(60));
        int questions = page.eval("document.querySelectorAll('#quiz-questions li').length").asInt();
        assertTrue(questions >= 2, "questions arrived page by page: " + questions);
        assertTrue(page.text("#quiz-status").startsWith("completed"), page.text("#quiz-status"));
        String link = page.eval("document.getElementById('quiz-link').href").asText();
        assertTrue(link.startsWith(base + "/"), "a link to this server: " + link);
        HttpResponse<String> shared = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, shared.statusCode(), link);
        page.screenshot(SHOTS.resolve("quiz.png"), "#quiz");
    }

    @Test
    @Order(4)
    void oneQuestionIsGeneratedWithItsProgress() throws Exception {
        page.click("#generate");
        page.waitFor("document.getElementById('q-status').textContent === 'generated'", Duration.ofSeconds(30));
        assertTrue(!page.text("#q-text").isBlank());
        page.screenshot(SHOTS.resolve("question.png"), "#question");
    }

    @Test
    @Order(5)
    void aContestWithBotsMovesTheLeaderboard() throws Exception {
        page.click("#join-contest");
        page.waitFor("/answered (\\d+)\\/\\1/.test(document.getElementById('contest-question').textContent)",
                Duration.ofSeconds(60));
        page.waitFor("document.querySelectorAll('#leaderboard tr').length >= 4", Duration.ofSeconds(20));
        assertTrue(page.text("#leaderboard").contains("you-"), page.text("#leaderboard"));
        assertTrue(page.text("#leaderboard").contains("bot-ada-"), page.text("#leaderboard"));
        page.waitFor("Number(document.getElementById('leaderboard').dataset.updates) >= 1", Duration.ofSeconds(20));
        assertTrue(page.text("#errors").isBlank(), "no error: " + page.text("#errors"));
        page.screenshot(SHOTS.resolve("contest.png"), "#contest");
    }

    @Test
    @Order(6)
    void theHubViewChartsMessagesPerSecond() throws Exception {
        page.waitFor("/^\\d+$/.test(document.getElementById('h-rate').textContent)", Duration.ofSeconds(10));
        assertTrue(Integer.parseInt(page.text("#h-connections")) >= 1);
        page.screenshot(SHOTS.resolve("hub.png"), "#hub");
        page.screenshot(SHOTS.resolve("console.png"), null);
    }

    @Test
    @Order(7)
    void twoTabsInOneInterviewSeeEachOthersPresenceStatusAndTranscriptions(@TempDir Path dir) throws Exception {
        try (Chromium.Tab other = chromium.open(base + "/")) {
            String session = "console-" + System.nanoTime();
            for (Chromium.Tab tab : java.util.List.of(page, other)) {
                tab.eval("document.getElementById('iv-session').value = '" + session + "'");
                tab.click("#iv-join");
                tab.waitFor("document.getElementById('iv-state').textContent.startsWith('joined')", Duration.ofSeconds(15));
            }
            // presence: the first tab sees the second arrive
            page.waitFor("document.getElementById('iv-present').textContent.split(', ').length === 2",
                    Duration.ofSeconds(15));
            page.eval("document.getElementById('iv-status').value = 'active'");
            page.click("#iv-set-status");
            other.waitFor("document.getElementById('iv-current').textContent === 'active'", Duration.ofSeconds(15));
            Path wav = dir.resolve("answer.wav");
            boolean speech = Files.isExecutable(Path.of("/usr/bin/espeak-ng"))
                    && (Files.isExecutable(Path.of("/usr/bin/pocketsphinx_continuous"))
                    || Files.isExecutable(Path.of("/usr/bin/pocketsphinx")));
            if (speech) {
                Process p = new ProcessBuilder("espeak-ng", "-w", wav.toString(), "the weather is nice today")
                        .redirectErrorStream(true).start();
                assertEquals(0, p.waitFor());
                page.setFile("#iv-wav", wav);
                page.click("#iv-say");
                // the other tab sees the final transcription of what the first one sent
                other.waitFor("document.getElementById('iv-log').textContent.includes('final: ')", Duration.ofSeconds(60));
                // and the suggestions tied to it (the offline transcriber's word accuracy is measured elsewhere)
                other.waitFor("document.getElementById('iv-log').textContent.includes('suggestions: ')",
                        Duration.ofSeconds(30));
                page.waitFor("document.getElementById('iv-log').textContent.includes('final: ')", Duration.ofSeconds(30));
            }
            page.screenshot(SHOTS.resolve("interview.png"), "#interview");
            page.screenshot(SHOTS.resolve("console.png"), null);
        }
    }

    @Test
    @Order(8)
    void failuresAreShownNeverASilentStall(@TempDir Path dir) throws Exception {
        Path notPdf = dir.resolve("notes.txt");
        Files.writeString(notPdf, "not a pdf");
        page.setFile("#pdf", notPdf);
        page.click("#make-quiz");
        page.waitFor("document.getElementById('errors').textContent.includes('Quiz:')", Duration.ofSeconds(20));
        // rate limited: the server runs at most 100 demo jobs; fill them with long ones, then press the button
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            http.send(HttpRequest.newBuilder(URI.create(base + "/api/demo-jobs"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"steps\":1000,\"intervalMs\":10000}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        page.click("#start-jobs");
        page.waitFor("document.getElementById('errors').textContent.includes('rate_limited')", Duration.ofSeconds(20));
        server.close();
        page.waitFor("document.getElementById('errors').textContent.includes('Server:')", Duration.ofSeconds(20));
        page.waitFor("document.getElementById('sio-state').textContent !== 'connected'", Duration.ofSeconds(20));
        page.screenshot(SHOTS.resolve("errors.png"), "#errors");
        server = null;
    }

    /** A two-page PDF with enough text for the offline generator. */
    static void writePdf(Path file) throws Exception {
        String[][] pages = {
            {"Photosynthesis", "Photosynthesis converts light energy into chemical energy in plants.",
                "Chlorophyll in the chloroplasts absorbs red and blue light.",
                "Carbon dioxide and water become glucose and oxygen."},
            {"The Calvin cycle", "The Calvin cycle fixes carbon dioxide in the stroma of the chloroplast.",
                "The enzyme Rubisco captures carbon dioxide from the air.",
                "Glucose made by plants feeds almost every food chain on Earth."}};
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String[] lines : pages) {
                PDPage p = new PDPage();
                doc.addPage(p);
                try (PDPageContentStream cs = new PDPageContentStream(doc, p)) {
                    cs.beginText();
                    cs.setFont(font, 12);
                    cs.newLineAtOffset(60, 720);
                    for (String line : lines) {
                        cs.showText(line);
                        cs.newLineAtOffset(0, -18);
                    }
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
    }
}
