package dev.realtime.core.quiz;

import dev.realtime.core.quiz.PageAnalyzer.Analysis;
import dev.realtime.core.quiz.PageAnalyzer.Sentence;
import dev.realtime.core.quiz.PageAnalyzer.Token;
import dev.realtime.core.quiz.Term.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline question forms, as drafts with the correct option first:
 * <ul>
 *   <li>{@code CLOZE}: a sentence of the text with a key term blanked out; options are same-kind terms;</li>
 *   <li>{@code DEFINITION}: a defining sentence ("X is a ...", "X describes ...") with its subject blanked out;</li>
 *   <li>{@code WHICH_TRUE}: four statements, one quoted from the text, three with one term swapped for a same-kind
 *       term of the page;</li>
 *   <li>{@code WHICH_FALSE} (the true/false variant, kept to four options): three statements from the text and one
 *       with a swapped term, which is the answer.</li>
 * </ul>
 * Stateless.
 */
final class QuestionForms {
    static final String BLANK = "_____";
    /** A word: letters with inner apostrophes or hyphens, or a plain number ("1789", "2,000"). */
    private static final Pattern WORD =
            Pattern.compile("\\p{L}[\\p{L}\\p{M}'\\-]*|\\d{1,3}(,\\d{3})+|\\d+([.,]\\d+)?");
    private static final Set<String> DEFINING = Set.of("is", "are", "was", "were", "describes", "describe", "means",
            "refers", "ist", "sind", "war", "beschreibt", "bezeichnet", "bedeutet", "heißt");

    enum Form { CLOZE, DEFINITION, WHICH_TRUE, WHICH_FALSE }

    /**
     * A question before its options are shuffled.
     *
     * @param options     the correct option first, then three distractors
     * @param answerKey   what must not be asked twice on a page (the answer term, or the target sentence)
     * @param kind        the answer term's kind ({@code null} for statement forms)
     * @param difficulty  the form's natural difficulty
     * @param swapped     for a term draft: its sentence with the term replaced by the first distractor
     * @param swaps       for a statement draft: sentence index -> key of the term swapped in it
     */
    record Draft(Form form, int sentence, String question, List<String> options, String explanation,
                 String answerKey, Kind kind, String difficulty, int score, String swapped, Map<Integer, String> swaps) {
    }

    private QuestionForms() {
    }

    /**
     * Whether a sentence can carry a question: prose of 30..320 characters, not a question, mostly words (at least
     * five, and two thirds of its tokens: code, formulas and noise are not asked about).
     */
    static boolean askable(Sentence s) {
        String t = s.text();
        if (!s.prose() || t.length() < 30 || t.length() > 320 || s.tokens().size() < 6 || t.endsWith("?")
                || !(Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '"')) {
            return false;
        }
        int words = 0;
        for (Token token : s.tokens()) {
            if (WORD.matcher(token.text()).matches()) {
                words++;
            }
        }
        return words >= 5 && words * 3 >= s.tokens().size() * 2;
    }

    /** Whether a sentence can be offered whole as a statement: short, and not opening with a pronoun ("It has"). */
    static boolean statement(Sentence s) {
        return askable(s) && s.text().length() <= 200 && !s.tokens().get(0).is("PRON");
    }

    /** Cloze and definition drafts for every askable sentence and term that has three same-kind distractors. */
    static List<Draft> termDrafts(Analysis analysis, List<Term> terms, Phrases phrases, long seed, boolean explain) {
        Map<Kind, List<Term>> pool = Distractors.pool(terms);
        List<Draft> out = new ArrayList<>();
        for (Term t : terms) {
            Sentence s = analysis.sentences().get(t.sentence());
            if (!askable(s) || t.text().length() * 10 > s.text().length() * 6) {
                continue;
            }
            Random random = new Random(seed ^ (31L * t.sentence() + 1_000_003L * t.from()));
            List<String> distractors = Distractors.pick(t, s.text(), pool, random);
            if (distractors.size() < 3) {
                continue;
            }
            List<Token> tokens = s.tokens();
            int start = tokens.get(t.from()).start();
            int end = tokens.get(t.to() - 1).end();
            String stem = s.text().substring(0, start) + BLANK + s.text().substring(end);
            String swapped = s.text().substring(0, start) + (start == 0 ? capitalise(distractors.get(0))
                    : distractors.get(0)) + s.text().substring(end);
            boolean defining = t.from() <= 1 && t.to() < tokens.size() && !t.kind().numeric()
                    && DEFINING.contains(tokens.get(t.to()).lower())
                    && (t.from() == 0 || tokens.get(t.from() - 1).is("DET"));
            if (defining && t.from() == 1) {
                stem = BLANK + s.text().substring(end); // "The heart is ..." -> "_____ is ..."
            }
            Form form = defining ? Form.DEFINITION : Form.CLOZE;
            String question = (defining ? phrases.describe() : phrases.cloze()).get(t.kind()) + " "
                    + phrases.quote(stem);
            List<String> options = new ArrayList<>(distractors.size() + 1);
            options.add(t.text());
            options.addAll(distractors);
            String explanation = explain ? phrases.states() + phrases.quote(s.text()) : "";
            out.add(new Draft(form, t.sentence(), question, List.copyOf(options), explanation, t.key(), t.kind(),
                    difficulty(form, t.kind()), score(t, form), swapped, Map.of()));
        }
        return out;
    }

    /**
     * "Which of these statements (about {@code topic}) is true?": {@code target} quoted, three other sentences with
     * a swapped term.
     */
    static Optional<Draft> whichTrue(Analysis analysis, Sentence target, List<Draft> termDrafts, String topic,
                                     Phrases phrases, boolean explain, Map<Integer, String> asked) {
        List<String> options = new ArrayList<>();
        options.add(target.text());
        Map<Integer, String> swaps = new HashMap<>();
        for (Draft d : termDrafts) {
            if (options.size() == 4) {
                break;
            }
            // a sentence another question asks about may only be changed in that question's answer
            boolean consistent = !asked.containsKey(d.sentence()) || asked.get(d.sentence()).equals(d.answerKey());
            if (d.sentence() != target.index() && statement(analysis.sentences().get(d.sentence())) && consistent
                    && !swaps.containsKey(d.sentence())) {
                swaps.put(d.sentence(), d.answerKey());
                options.add(d.swapped());
            }
        }
        if (options.size() < 4) {
            return Optional.empty();
        }
        long mentions = topic == null ? 0 : options.stream().filter(o -> o.toLowerCase(Locale.ROOT)
                .contains(TopicTerms.stem(topic.replaceFirst("^the ", "")))).count();
        // "about X" only when X is what the statements talk about, not just the answer's subject
        String question = mentions >= 3 ? String.format(phrases.trueAbout(), topic) : phrases.trueAny();
        String explanation = explain ? phrases.states() + phrases.quote(target.text()) + phrases.otherChanged() : "";
        return Optional.of(new Draft(Form.WHICH_TRUE, target.index(), question, List.copyOf(options), explanation,
                "true:" + target.index(), null, "medium", 20, null, Map.copyOf(swaps)));
    }

    /**
     * "Which of these statements is false?": the swapped sentence of {@code corrupted} and three quoted sentences,
     * preferably ones no other question on the page is about ({@code taken}): quoting those would hint at that
     * question's answer, which is only accepted when the page has no other sentences left.
     */
    static Optional<Draft> whichFalse(Analysis analysis, Draft corrupted, Set<Integer> taken, Phrases phrases,
                                      boolean explain, Random random) {
        List<Sentence> free = new ArrayList<>();
        List<Sentence> others = new ArrayList<>();
        for (Sentence s : analysis.sentences()) {
            if (s.index() != corrupted.sentence() && statement(s)) {
                (taken.contains(s.index()) ? others : free).add(s);
            }
        }
        if (free.size() + others.size() < 3) {
            return Optional.empty();
        }
        Collections.shuffle(free, random);
        Collections.shuffle(others, random);
        others.addAll(0, free);
        List<String> options = new ArrayList<>();
        options.add(corrupted.swapped());
        others.stream().limit(3).sorted(Comparator.comparingInt(Sentence::index))
                .forEach(s -> options.add(s.text()));
        String original = analysis.sentences().get(corrupted.sentence()).text();
        String explanation = explain ? String.format(phrases.statesNot(), phrases.quote(original),
                phrases.quote(corrupted.swapped())) : "";
        return Optional.of(new Draft(Form.WHICH_FALSE, corrupted.sentence(), phrases.falseAny(),
                List.copyOf(options), explanation, "false:" + corrupted.sentence(), null, "hard", 10, null,
                Map.of(corrupted.sentence(), corrupted.answerKey())));
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String difficulty(Form form, Kind kind) {
        if (form == Form.DEFINITION) {
            return "medium";
        }
        return kind.proper() ? "easy" : kind.numeric() ? "medium" : "hard";
    }

    private static int score(Term t, Form form) {
        int base = switch (t.kind()) {
            case PERSON, PLACE -> 32;
            case NAME -> 26;
            case YEAR, DATE -> 28;
            case NUMBER -> t.unit().isEmpty() ? 20 : 25;
            case PROCESS -> 30;
            case THING -> 18;
        };
        if (form == Form.DEFINITION) {
            base += 8;
        }
        if (t.kind() == Kind.THING) {
            base += t.words() > 1 ? 5 : t.text().length() < 5 ? -8 : 0;
        }
        return base + Math.min(t.text().length(), 16) / 4;
    }
}
