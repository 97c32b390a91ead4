package dev.realtime.core.quiz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineQuestionGeneratorTest {
    private final OfflineQuestionGenerator generator = new OfflineQuestionGenerator();

    private static String page() throws IOException {
        try (InputStream in = OfflineQuestionGeneratorTest.class.getResourceAsStream("/quiz/curie-page.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesSensibleQuestionsFromAPage() throws IOException {
        String text = page().replaceAll("\\s+", " ");
        List<Question> questions = generator.generate(QuestionRequest.of(page(), 6));
        assertEquals(6, questions.size());
        Set<String> answers = new HashSet<>();
        Set<String> forms = new HashSet<>();
        for (Question q : questions) {
            assertEquals(4, q.options().size(), q.toString());
            assertEquals(4, q.options().stream().map(o -> o.toLowerCase(Locale.ROOT)).distinct().count(), q.toString());
            q.options().forEach(o -> assertFalse(o.isBlank()));
            assertTrue(Set.of("easy", "medium", "hard").contains(q.difficulty()));
            assertTrue(answers.add(q.correctAnswer()), "answers are distinct");
            String form = OfflineGeneratorMeasurementTest.form(q);
            forms.add(form);
            if (form.startsWith("which")) {
                // statements: the true one is quoted from the text, the false one is not
                assertEquals(form.equals("which-is-true"), text.contains(q.correctAnswer()), q.toString());
                continue;
            }
            assertTrue(text.contains(q.correctAnswer()), "answer comes from the source: " + q);
            assertTrue(q.question().contains("_____"), q.question());
            assertFalse(q.question().contains(q.correctAnswer() + " "), "the blank hides the answer: " + q);
            String quoted = q.explanation().substring(q.explanation().indexOf('"') + 1, q.explanation().length() - 1);
            assertTrue(text.contains(quoted), "explanation quotes the source: " + quoted);
            assertTrue(quoted.contains(q.correctAnswer()));
        }
        assertTrue(forms.contains("cloze") && forms.size() >= 2, "more than one form: " + forms);
        Set<Integer> positions = new HashSet<>();
        questions.forEach(q -> positions.add(q.correctAnswerIndex()));
        assertTrue(positions.size() > 1, "the correct option is not always in the same place");
    }

    @Test
    void isDeterministic() throws IOException {
        QuestionRequest request = QuestionRequest.of(page(), 5);
        assertEquals(generator.generate(request), generator.generate(request));
        assertEquals(generator.generate(request), new OfflineQuestionGenerator().generate(request));
    }

    @Test
    void honoursRequestedDifficultyAndExplanations() throws IOException {
        List<Question> questions = generator.generate(new QuestionRequest(page(), 3, "hard", false, null, null));
        assertEquals(3, questions.size());
        questions.forEach(q -> {
            assertEquals("hard", q.difficulty());
            assertEquals("", q.explanation());
        });
    }

    @Test
    void thinTextYieldsFewerQuestions() {
        assertTrue(generator.generate(QuestionRequest.of("Hello world.", 5)).isEmpty());
        String thin = "The Danube flows through Vienna, Budapest and Belgrade before reaching the Black Sea. "
                + "It is the second-longest river in Europe after the Volga.";
        List<Question> questions = generator.generate(QuestionRequest.of(thin, 5));
        assertTrue(questions.size() < 5, questions.toString());
        questions.forEach(q -> assertEquals(4, q.options().stream().distinct().count()));
    }
}
