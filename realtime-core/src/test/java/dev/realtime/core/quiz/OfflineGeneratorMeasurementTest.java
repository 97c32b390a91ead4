package dev.realtime.core.quiz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quality and speed figures of the offline generator on {@link OfflineCorpus}: questions per page, pages without a
 * question, distractor-kind agreement (by the corpus oracle), question forms, and pages/s on a 100-page PDF. Logged
 * and written to {@code target/offline-generator-figures.txt}; never asserted (they are figures, not checks: the
 * checks are in {@link OfflineCorpusTest}). Run with {@code -Dmeasure}.
 */
@Tag("measurement")
@Timeout(300)
class OfflineGeneratorMeasurementTest {
    private static final Logger log = LoggerFactory.getLogger(OfflineGeneratorMeasurementTest.class);

    private static final int SAMPLE_AT = Integer.getInteger("sampleAt", 3); // which run's questions to list

    private final QuestionGenerator generator = new OfflineQuestionGenerator();

    static String form(Question q) {
        String t = q.question().toLowerCase(Locale.ROOT).replaceAll("[\"\u201e].*", ""); // the prompt, not the quote
        if (t.contains("false") || t.contains("falsch")) {
            return "which-is-false";
        }
        if (t.contains("true") || t.contains("richtig")) {
            return "which-is-true";
        }
        if (t.contains("describe") || t.contains("beschrieben")) {
            return "definition";
        }
        return "cloze";
    }

    @Test
    void corpusFigures() throws IOException {
        StringBuilder report = new StringBuilder();
        List<String> texts = OfflineCorpus.texts(OfflineCorpus.pdf());
        long c0 = System.nanoTime();
        generator.generate(new QuestionRequest(texts.get(0), 3, "mixed", true, null, null));
        report.append(String.format(Locale.ROOT, "first call (loads the models when this JVM has not yet): %.0f ms%n",
                (System.nanoTime() - c0) / 1e6));
        report.append(nameKinds(texts));
        for (int perPage : new int[] {3, 6}) {
            int questions = 0;
            int informative = 0;
            int informativeWithout = 0;
            int matching = 0;
            int distractors = 0;
            int answerAsDistractor = 0;
            int duplicates = 0;
            Map<String, Integer> forms = new LinkedHashMap<>();
            StringBuilder perPageLine = new StringBuilder();
            for (int i = 0; i < texts.size(); i++) {
                OfflineCorpus.Page page = OfflineCorpus.PAGES.get(i);
                String text = texts.get(i);
                List<Question> qs = text.isBlank() ? List.of()
                        : generator.generate(new QuestionRequest(text, perPage, "mixed", true, null, null));
                questions += qs.size();
                perPageLine.append(page.name()).append('=').append(qs.size()).append("  ");
                if (page.informative()) {
                    informative++;
                    if (qs.isEmpty()) {
                        informativeWithout++;
                    }
                }
                Set<String> seen = new HashSet<>();
                for (Question q : qs) {
                    if (!seen.add(q.question().toLowerCase(Locale.ROOT))) {
                        duplicates++;
                    }
                    String form = form(q);
                    forms.merge(form, 1, Integer::sum);
                    for (int o = 0; o < q.options().size(); o++) {
                        if (o != q.correctAnswerIndex() && q.options().get(o).equalsIgnoreCase(q.correctAnswer())) {
                            answerAsDistractor++;
                        }
                    }
                    int[] agree = agreement(q, form);
                    matching += agree[0];
                    distractors += agree[1];
                    if (perPage == SAMPLE_AT) {
                        report.append("  [").append(page.name()).append("] ").append(form).append(": ")
                                .append(q.question()).append("\n      options ").append(q.options())
                                .append(" answer=").append(q.correctAnswer()).append(" (").append(q.difficulty())
                                .append(")\n");
                    }
                }
            }
            report.append(String.format(Locale.ROOT, "questionsPerPage=%d: %d questions on %d pages (%.2f per page),"
                            + " informative pages without a question: %d of %d, distractor-kind agreement %d/%d = %.0f%%,"
                            + " answer repeated as a distractor: %d, duplicate questions: %d, forms %s%n  per page: %s%n",
                    perPage, questions, texts.size(), questions / (double) texts.size(), informativeWithout, informative,
                    matching, distractors, distractors == 0 ? 0 : 100.0 * matching / distractors, answerAsDistractor,
                    duplicates, forms, perPageLine));
        }

        // held out: TestPdfs.PAGES (Marie Curie twice, Ada Lovelace, Julius Caesar), never looked at while tuning
        List<String> held = OfflineCorpus.texts(TestPdfs.builder().text(TestPdfs.PAGES.get(0))
                .text(TestPdfs.PAGES.get(1)).text(TestPdfs.PAGES.get(2)).text(TestPdfs.PAGES.get(3)).build());
        int heldQuestions = 0;
        int heldWithout = 0;
        int heldMatching = 0;
        int heldCompared = 0;
        for (String text : held) {
            List<Question> qs = generator.generate(new QuestionRequest(text, 3, "mixed", true, null, null));
            heldQuestions += qs.size();
            heldWithout += qs.isEmpty() ? 1 : 0;
            for (Question q : qs) {
                int[] agree = agreement(q, form(q));
                heldMatching += agree[0];
                heldCompared += agree[1];
                report.append("  [held out] ").append(form(q)).append(": ").append(q.question())
                        .append("\n      options ").append(q.options()).append(" answer=").append(q.correctAnswer())
                        .append('\n');
            }
        }
        report.append(String.format(Locale.ROOT, "held-out pages (4, questionsPerPage=3): %.2f questions per page,"
                        + " pages without a question: %d, distractor-kind agreement %d/%d = %.0f%%%n",
                heldQuestions / 4.0, heldWithout, heldMatching, heldCompared,
                heldCompared == 0 ? 0 : 100.0 * heldMatching / heldCompared));
        report.append("held-out ").append(nameKinds(held));

        List<String> lesson = texts.subList(0, 4); // water cycle, plate tectonics, the heart, blank
        QuizMetadata meta = QuizMetadataExtractor.fromText().extract(lesson, List.of(), "lesson.pdf");
        report.append("metadata of the 4-page lesson: title=\"").append(meta.title()).append("\" description=\"")
                .append(meta.description()).append("\" topics=").append(meta.topics()).append('\n');

        byte[] big = OfflineCorpus.pdf(100);
        long t0 = System.nanoTime();
        List<String> bigTexts = OfflineCorpus.texts(big);
        long extractNanos = System.nanoTime() - t0;
        runAll(bigTexts); // warm-up (JIT, model loading)
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        int n = runAll(bigTexts);
        long genNanos = System.nanoTime() - t1;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpu0;
        // CPU time is the figure least disturbed by other processes on a shared machine; wall time is what a user waits
        report.append(String.format(Locale.ROOT, "100-page PDF: text extraction %.0f ms; generation (3 per page, one"
                        + " thread, warm) %.0f ms wall = %.0f pages/s, %.0f ms CPU = %.2f ms CPU per page = %.0f pages"
                        + " per CPU-second, %d questions; extraction + generation %.0f pages/s%n",
                extractNanos / 1e6, genNanos / 1e6, 100 / (genNanos / 1e9), cpuNanos / 1e6, cpuNanos / 1e8,
                100 / (cpuNanos / 1e9), n, 100 / ((extractNanos + genNanos) / 1e9)));

        String figures = report.toString();
        log.info("MEASUREMENT offline generator\n{}", figures);
        Path out = Path.of("target", "offline-generator-figures.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures, StandardCharsets.UTF_8);
    }

    /**
     * How the page-level kind classifier labels the corpus's names against the hand labels: a confusion table of
     * oracle kind (rows) by generator kind (columns), counting each distinct name once per page. Skipped when the
     * generator has no such classifier (before issue 21).
     */
    private static String nameKinds(List<String> texts) {
        Map<String, Integer> cells = new java.util.TreeMap<>();
        int right = 0;
        int all = 0;
        List<String> wrong = new ArrayList<>();
        try {
            for (String text : texts) {
                if (text.isBlank()) {
                    continue;
                }
                Set<String> seen = new HashSet<>();
                for (Term t : TermExtractor.extract(PageAnalyzer.analyze(text))) {
                    if (!t.kind().proper() || !seen.add(t.key())) {
                        continue;
                    }
                    OfflineCorpus.Kind oracle = OfflineCorpus.kindOf(t.text());
                    cells.merge(oracle + "->" + t.kind(), 1, Integer::sum);
                    all++;
                    if (oracle.name().equals(t.kind().name())) {
                        right++;
                    } else {
                        wrong.add(t.text() + " (" + oracle + " as " + t.kind() + ")");
                    }
                }
            }
        } catch (LinkageError e) {
            return "name kinds: no classifier\n";
        }
        return String.format(Locale.ROOT, "name kinds (oracle->generator): %d of %d names right (%.0f%%): %s%n"
                + "  wrong: %s%n", right, all, 100.0 * right / Math.max(1, all), cells, wrong);
    }

    private int runAll(List<String> texts) {
        int n = 0;
        for (String t : texts) {
            if (!t.isBlank()) {
                n += generator.generate(new QuestionRequest(t, 3, "mixed", true, null, null)).size();
            }
        }
        return n;
    }

    /**
     * {matching, compared}: for term options, each distractor's oracle kind against the answer's; for "which is true"
     * statements, the swapped span of each false statement against the span it replaced. Other forms count nothing.
     */
    static int[] agreement(Question q, String form) {
        int matching = 0;
        int compared = 0;
        for (int o = 0; o < q.options().size(); o++) {
            if (o == q.correctAnswerIndex()) {
                continue;
            }
            String answer = q.correctAnswer();
            String distractor = q.options().get(o);
            if (form.equals("which-is-true")) {
                String[] spans = swapped(answer, distractor);
                if (spans == null) {
                    continue;
                }
                answer = spans[0];
                distractor = spans[1];
            } else if (form.equals("which-is-false")) {
                continue;
            }
            compared++;
            if (OfflineCorpus.kindOf(answer) == OfflineCorpus.kindOf(distractor)) {
                matching++;
            }
        }
        return new int[] {matching, compared};
    }

    /** The differing word spans of two statements that differ in one place, or {@code null}. */
    private static String[] swapped(String a, String b) {
        List<String> x = new ArrayList<>(Arrays.asList(a.replaceAll("[.,;:!?\"]", " ").trim().split("\\s+")));
        List<String> y = new ArrayList<>(Arrays.asList(b.replaceAll("[.,;:!?\"]", " ").trim().split("\\s+")));
        int p = 0;
        while (p < x.size() && p < y.size() && x.get(p).equals(y.get(p))) {
            p++;
        }
        int s = 0;
        while (s < x.size() - p && s < y.size() - p && x.get(x.size() - 1 - s).equals(y.get(y.size() - 1 - s))) {
            s++;
        }
        List<String> xs = x.subList(p, x.size() - s);
        List<String> ys = y.subList(p, y.size() - s);
        if (xs.isEmpty() || ys.isEmpty() || xs.size() > 6 || ys.size() > 6) {
            return null;
        }
        return new String[] {String.join(" ", xs), String.join(" ", ys)};
    }
}
