package dev.realtime.core.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.realtime.core.ErrorCode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline generator on {@link OfflineCorpus} (a real PDF read back through PDFBox): every informative page
 * yields a question, options are sound, forms say what they do, distractors are of the answer's kind.
 */
class OfflineCorpusTest {
    private static List<String> texts;
    private final OfflineQuestionGenerator generator = new OfflineQuestionGenerator();

    @BeforeAll
    static void readCorpus() {
        texts = OfflineCorpus.texts(OfflineCorpus.pdf());
        assertEquals(OfflineCorpus.PAGES.size(), texts.size());
    }

    private List<Question> generate(int page, int count) {
        return generator.generate(new QuestionRequest(texts.get(page), count, "mixed", true, null, null));
    }

    private static String norm(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    @Test
    void everyInformativePageYieldsAQuestion() {
        for (int i = 0; i < texts.size(); i++) {
            OfflineCorpus.Page page = OfflineCorpus.PAGES.get(i);
            if (!page.informative()) {
                assertTrue(texts.get(i).isBlank(), page.name());
                continue;
            }
            for (int count : new int[] {1, 3}) {
                List<Question> qs = generate(i, count);
                assertFalse(qs.isEmpty(), page.name() + " yields no question at count " + count);
                assertTrue(qs.size() <= count, page.name());
            }
        }
    }

    @Test
    void optionsAreSoundAndQuestionsDistinct() {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                continue;
            }
            Set<String> questions = new HashSet<>();
            for (Question q : generate(i, 8)) {
                assertEquals(4, q.options().size(), q.toString());
                assertEquals(4, q.options().stream().map(o -> o.toLowerCase(Locale.ROOT)).distinct().count(),
                        "no option twice, the answer never repeated as a distractor: " + q);
                q.options().forEach(o -> assertFalse(o.isBlank(), q.toString()));
                assertTrue(questions.add(q.question().toLowerCase(Locale.ROOT)), "duplicate question " + q);
                assertTrue(Set.of("easy", "medium", "hard").contains(q.difficulty()), q.toString());
                assertFalse(q.explanation().isBlank(), q.toString());
            }
        }
    }

    @Test
    void eachFormDoesWhatItSays() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            String source = norm(texts.get(i));
            if (source.isEmpty()) {
                continue;
            }
            for (Question q : generate(i, 8)) {
                String form = OfflineGeneratorMeasurementTest.form(q);
                seen.add(form);
                switch (form) {
                    case "cloze", "definition" -> {
                        String stem = q.question().substring(q.question().indexOf('"') + 1,
                                q.question().lastIndexOf('"'));
                        assertTrue(stem.contains(QuestionForms.BLANK), q.toString());
                        String filled = stem.replace(QuestionForms.BLANK, q.correctAnswer());
                        assertTrue(source.contains(filled) || source.contains(stem.replace(QuestionForms.BLANK,
                                "The " + q.correctAnswer())), "the answer restores the source sentence: " + q);
                        for (String o : q.options()) {
                            if (!o.equals(q.correctAnswer())) {
                                assertFalse(source.contains(stem.replace(QuestionForms.BLANK, o)),
                                        "a distractor must not also fit the text: " + q);
                            }
                        }
                    }
                    case "which-is-true", "which-is-false" -> {
                        List<String> inText = new ArrayList<>();
                        for (String o : q.options()) {
                            if (source.contains(norm(o))) {
                                inText.add(o);
                            }
                        }
                        if (form.equals("which-is-true")) {
                            assertEquals(List.of(q.correctAnswer()), inText, "only the answer is from the text: " + q);
                        } else {
                            assertEquals(3, inText.size(), q.toString());
                            assertFalse(inText.contains(q.correctAnswer()), "the false statement is the answer: " + q);
                        }
                    }
                    default -> throw new AssertionError(form);
                }
            }
        }
        assertEquals(Set.of("cloze", "definition", "which-is-true", "which-is-false"), seen);
    }

    @Test
    void noQuestionGivesAnotherAway() {
        // a blank's sentence is never quoted whole by another question on the page (the "which is false" fallback,
        // documented, excepted), and a "which is true" answer is not asked about again
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                continue;
            }
            for (int count = 3; count <= 8; count++) {
                assertNoneGivesAnotherAway(generate(i, count));
            }
        }
    }

    private static void assertNoneGivesAnotherAway(List<Question> qs) {
        for (Question q : qs) {
            String form = OfflineGeneratorMeasurementTest.form(q);
            List<String> revealing = new ArrayList<>(); // text that would show q's answer
            if (form.equals("cloze") || form.equals("definition")) {
                String stem = q.question().substring(q.question().indexOf('"') + 1, q.question().lastIndexOf('"'));
                String before = stem.substring(0, stem.indexOf(QuestionForms.BLANK));
                String after = stem.substring(stem.indexOf(QuestionForms.BLANK) + QuestionForms.BLANK.length());
                // the answer in its context: "In 1628 the English", "landed in the Sea of Tranquility,"
                revealing.add(before.substring(Math.max(0, before.length() - 12)) + q.correctAnswer()
                        + after.substring(0, Math.min(after.length(), 12)));
            } else if (form.equals("which-is-true")) {
                revealing.add(q.correctAnswer());
            } else {
                continue;
            }
            for (Question other : qs) {
                if (other == q || OfflineGeneratorMeasurementTest.form(other).equals("which-is-false")) {
                    continue;
                }
                for (String revealed : revealing) {
                    for (String o : other.options()) {
                        assertFalse(o.contains(revealed), "\"" + other.question() + "\" " + other.options()
                                + " gives away " + q);
                    }
                    assertFalse(other.question().contains(revealed), other + " gives away " + q);
                }
            }
        }
    }

    @Test
    void distractorsAreOfTheAnswersKind() {
        // exact for persons, places, years, dates and numbers; other names and concepts are checked in aggregate
        Set<OfflineCorpus.Kind> strict = EnumSet.of(OfflineCorpus.Kind.PERSON, OfflineCorpus.Kind.PLACE,
                OfflineCorpus.Kind.YEAR, OfflineCorpus.Kind.NUMBER);
        int matching = 0;
        int compared = 0;
        int strictAnswers = 0;
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                continue;
            }
            for (Question q : generate(i, 8)) {
                String form = OfflineGeneratorMeasurementTest.form(q);
                if (!form.equals("cloze") && !form.equals("definition")) {
                    continue;
                }
                OfflineCorpus.Kind answer = OfflineCorpus.kindOf(q.correctAnswer());
                for (String o : q.options()) {
                    if (o.equals(q.correctAnswer())) {
                        continue;
                    }
                    OfflineCorpus.Kind kind = OfflineCorpus.kindOf(o);
                    compared++;
                    matching += kind == answer ? 1 : 0;
                    if (strict.contains(answer)) {
                        assertEquals(answer, kind, "distractor " + o + " for " + q.correctAnswer() + " in " + q);
                    }
                }
                strictAnswers += strict.contains(answer) ? 1 : 0;
            }
        }
        assertTrue(strictAnswers >= 15, "persons, places, years and numbers are asked about: " + strictAnswers);
        assertTrue(matching >= 0.9 * compared, "distractor-kind agreement " + matching + "/" + compared);
    }

    @Test
    void theIssuesLessonGetsQuestionsOnEveryPageAndATopicTitle() {
        List<String> lesson = texts.subList(0, 4); // water cycle, plate tectonics, the heart, blank
        for (int i = 0; i < 3; i++) {
            assertFalse(generate(i, 3).isEmpty(), OfflineCorpus.PAGES.get(i).name());
        }
        QuizMetadata meta = QuizMetadataExtractor.fromText().extract(lesson, List.of(), "lesson.pdf");
        assertEquals("The water cycle, tectonic plates and the heart", meta.title());
        assertFalse(meta.description().startsWith("The water cycle describes"), meta.description());
        assertTrue(meta.description().startsWith("Questions about the water cycle"), meta.description());
        assertEquals(5, meta.topics().size(), meta.topics().toString());
    }

    @Test
    void asksMoreFormsWhenMoreQuestionsAreWanted() {
        int page = 0; // the water cycle: four sentences, few clozes
        Set<String> forms = new HashSet<>();
        generate(page, 6).forEach(q -> forms.add(OfflineGeneratorMeasurementTest.form(q)));
        assertTrue(forms.contains("which-is-false"), forms.toString());
        assertTrue(forms.size() >= 3, forms.toString());
    }

    @Test
    void germanQuestionsAndRefusedLanguages() {
        int page = 8; // Photosynthese
        List<Question> qs = generator.generate(new QuestionRequest(texts.get(page), 3, "mixed", true, "Deutsch",
                null));
        assertFalse(qs.isEmpty());
        qs.forEach(q -> assertTrue(q.question().contains("Lücke") || q.question().contains("Aussage")
                || q.question().contains("beschrieben"), q.question()));
        qs.forEach(q -> assertTrue(q.explanation().startsWith("Im Text steht"), q.explanation()));
        List<Question> english = generator.generate(new QuestionRequest(texts.get(page), 3, "mixed", true, "en",
                null));
        assertNotEquals(qs.get(0).question(), english.get(0).question());
        QuestionGenerationException e = assertThrows(QuestionGenerationException.class, () -> generator.generate(
                new QuestionRequest(texts.get(page), 3, "mixed", true, "French", null)));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().contains("English or German"), e.getMessage());
    }

    @Test
    void honoursDifficultyAndExplanations() {
        for (String difficulty : List.of("easy", "hard")) {
            List<Question> qs = generator.generate(new QuestionRequest(texts.get(4), 3, difficulty, false, null,
                    null));
            assertEquals(3, qs.size());
            qs.forEach(q -> assertEquals(difficulty, q.difficulty()));
            qs.forEach(q -> assertEquals("", q.explanation()));
        }
        // easy prefers names over numbers and statements on a page with both (Apollo 11)
        long names = generator.generate(new QuestionRequest(texts.get(5), 3, "easy", true, null, null)).stream()
                .filter(q -> q.question().startsWith("Which person") || q.question().startsWith("Which place")
                        || q.question().startsWith("Which name")).count();
        assertTrue(names >= 2, "easy questions ask for names: " + names);
    }

    @Test
    void isThreadSafe() throws Exception {
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < texts.size(); i++) {
                if (texts.get(i).isBlank()) {
                    continue;
                }
                QuestionRequest request = new QuestionRequest(texts.get(i), 4, "mixed", true, null, null);
                List<Question> expected = generator.generate(request);
                calls.add(() -> expected.equals(generator.generate(request)));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Boolean> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                assertTrue(f.get(), "concurrent calls give the same questions as sequential ones");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void isDeterministic() {
        for (int i = 0; i < texts.size(); i++) {
            if (!texts.get(i).isBlank()) {
                assertEquals(generate(i, 5), new OfflineQuestionGenerator().generate(
                        new QuestionRequest(texts.get(i), 5, "mixed", true, null, null)));
            }
        }
    }
}
