package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.quiz.Term.Kind;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The wording of offline questions and explanations in the languages the offline generator writes: English and
 * German. Immutable.
 */
record Phrases(Map<Kind, String> cloze, Map<Kind, String> describe, String trueAbout, String trueAny,
               String falseAny, String states, String statesNot, String otherChanged, String open, String close) {
    private static final Set<String> ENGLISH = Set.of("en", "eng", "english", "englisch", "anglais", "inglés");
    private static final Set<String> GERMAN = Set.of("de", "deu", "ger", "german", "deutsch", "allemand", "alemán");

    static final Phrases EN = new Phrases(
            Map.of(Kind.PERSON, "Which person fills the blank in this statement from the text?",
                    Kind.PLACE, "Which place fills the blank in this statement from the text?",
                    Kind.NAME, "Which name fills the blank in this statement from the text?",
                    Kind.YEAR, "Which year fills the blank in this statement from the text?",
                    Kind.DATE, "Which date fills the blank in this statement from the text?",
                    Kind.NUMBER, "Which number fills the blank in this statement from the text?",
                    Kind.PROCESS, "Which process fills the blank in this statement from the text?",
                    Kind.THING, "Which term fills the blank in this statement from the text?"),
            Map.of(Kind.PERSON, "Which person does the text describe here?",
                    Kind.PLACE, "Which place does the text describe here?",
                    Kind.NAME, "What does the text describe here?",
                    Kind.PROCESS, "Which process does the text describe here?",
                    Kind.THING, "Which term does the text describe here?"),
            "Which of these statements about %s is true according to the text?",
            "Which of these statements is true according to the text?",
            "Which of these statements is false according to the text?",
            "The text states: ", "The text states %s, not %s.", " The other statements each change a detail.",
            "\"", "\"");

    static final Phrases DE = new Phrases(
            Map.of(Kind.PERSON, "Welche Person gehört in die Lücke dieser Aussage aus dem Text?",
                    Kind.PLACE, "Welcher Ort gehört in die Lücke dieser Aussage aus dem Text?",
                    Kind.NAME, "Welcher Name gehört in die Lücke dieser Aussage aus dem Text?",
                    Kind.YEAR, "Welche Jahreszahl gehört in die Lücke dieser Aussage aus dem Text?",
                    Kind.DATE, "Welches Datum gehört in die Lücke dieser Aussage aus dem Text?",
                    Kind.NUMBER, "Welche Zahl gehört in die Lücke dieser Aussage aus dem Text?",
                    Kind.PROCESS, "Welcher Vorgang gehört in die Lücke dieser Aussage aus dem Text?",
                    Kind.THING, "Welcher Begriff gehört in die Lücke dieser Aussage aus dem Text?"),
            Map.of(Kind.PERSON, "Welche Person wird hier im Text beschrieben?",
                    Kind.PLACE, "Welcher Ort wird hier im Text beschrieben?",
                    Kind.NAME, "Was wird hier im Text beschrieben?",
                    Kind.PROCESS, "Welcher Vorgang wird hier im Text beschrieben?",
                    Kind.THING, "Welcher Begriff wird hier im Text beschrieben?"),
            "Welche dieser Aussagen über %s ist laut Text richtig?",
            "Welche dieser Aussagen ist laut Text richtig?",
            "Welche dieser Aussagen ist laut Text falsch?",
            "Im Text steht: ", "Im Text steht %s, nicht %s.", " Die anderen Aussagen ändern je ein Detail.",
            "\u201e", "\u201c");

    /**
     * The phrases for a requested question language ({@code English}, {@code en}, {@code German}, {@code Deutsch},
     * {@code de}, {@code de-DE}, ...).
     *
     * @throws QuestionGenerationException ({@code bad_request}) for any other language
     */
    static Phrases forLanguage(String language) {
        String l = language.trim().toLowerCase(Locale.ROOT);
        String base = l.split("[-_ ]")[0];
        if (ENGLISH.contains(l) || ENGLISH.contains(base)) {
            return EN;
        }
        if (GERMAN.contains(l) || GERMAN.contains(base)) {
            return DE;
        }
        throw new QuestionGenerationException(ErrorCode.BAD_REQUEST, "The offline question generator writes "
                + "questions in English or German, not " + language + "; configure a Gemini key for other languages");
    }

    String quote(String s) {
        return open + s + close;
    }
}
