package dev.realtime.core.quiz;

import dev.realtime.core.quiz.PageAnalyzer.Analysis;
import dev.realtime.core.quiz.PageAnalyzer.Sentence;
import dev.realtime.core.quiz.QuestionForms.Draft;
import dev.realtime.core.quiz.QuestionForms.Form;
import dev.realtime.core.quiz.Term.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic, network-free {@link QuestionGenerator}: the default when no Gemini key is configured.
 *
 * <p>It splits the text into sentences, tokens and part-of-speech tags with Apache OpenNLP (English and German
 * models, loaded once from the classpath), finds key terms (names, years, dates, numbers with their unit, noun
 * phrases), tells persons, places, other names, processes and things apart, and writes four-option questions in
 * several forms: fill-in-the-blank (cloze), "which term does the text describe" for defining sentences, "which of
 * these statements about X is true" and, when more questions are asked for than the text has blanks, "which of these
 * statements is false". Wrong options always come from the same page and are of the same kind as the answer (a year
 * for a year, a person for a person); numbers may be varied from the answer. The same request always yields the same
 * questions.
 *
 * <p>Languages: the source text may be English or German (fully analysed) or another language written in Latin
 * script, for which plain-text rules find sentences, numbers and capitalised names (fewer and simpler questions).
 * Questions are worded in English or German as {@link QuestionRequest#language()} asks; any other language is refused
 * with {@link QuestionGenerationException} ({@code bad_request}). {@code difficulty} prefers the forms and term kinds
 * of that difficulty (names are easy, numbers and definitions medium, concepts and false statements hard) and labels
 * every question with it; {@code mixed} labels each by its form. {@code includeExplanations} quotes the source
 * sentence. {@code subject} and {@code instructions} are ignored.
 *
 * <p>Returns up to {@code count} questions, fewer (possibly none) when the text is thin. Thread-safe; the first call
 * loads the models (a few hundred milliseconds); later calls take a few milliseconds of CPU per page.
 *
 * @since 0.1
 */
public final class OfflineQuestionGenerator implements QuestionGenerator {
    /** Statement questions need this many sentences that can be quoted whole. */
    private static final int STATEMENTS = 4;

    /** Creates the generator (models load on first use). */
    public OfflineQuestionGenerator() {
    }

    @Override
    public List<Question> generate(QuestionRequest request) {
        Phrases phrases = Phrases.forLanguage(request.language());
        Analysis analysis = PageAnalyzer.analyze(request.text());
        List<Term> terms = TermExtractor.extract(analysis);
        long seed = fnv1a64(request.text());
        List<Draft> drafts = new ArrayList<>(QuestionForms.termDrafts(analysis, terms, phrases, seed,
                request.includeExplanations()));
        String wanted = request.difficulty();
        drafts.sort(Comparator.comparingInt((Draft d) -> -d.score()).thenComparingInt(Draft::sentence));

        long statements = analysis.sentences().stream().filter(QuestionForms::statement).count();
        Selection sel = new Selection(request.count());
        boolean statementsPossible = statements >= STATEMENTS;
        String topic = statementsPossible ? TopicTerms.rank(analysis, terms).stream().findFirst()
                .map(TopicTerms.Topic::text).orElse(null) : null;
        if (request.count() >= 3 && statementsPossible && !"easy".equals(wanted)) {
            // one "which is true" per page, about the sentence that makes the weakest blank
            Map<Integer, Integer> bestBlank = new HashMap<>();
            drafts.forEach(d -> bestBlank.merge(d.sentence(), d.score(), Math::max));
            List<Sentence> targets = new ArrayList<>(analysis.sentences().stream().filter(QuestionForms::statement)
                    .toList());
            targets.sort(Comparator.comparingInt(s -> bestBlank.getOrDefault(s.index(), 0)));
            addWhichTrue(analysis, targets, drafts, topic, phrases, request, sel);
        }
        pickTermDrafts(drafts, sel, request.count(), wanted);
        if (statementsPossible && sel.count(Form.WHICH_TRUE) == 0) {
            addWhichTrue(analysis, analysis.sentences(), drafts, topic, phrases, request, sel);
        }
        if (statementsPossible) { // the true/false variant: only when the text has no more blanks
            Random random = new Random(seed);
            Set<Integer> corrupted = new HashSet<>();
            for (Draft d : drafts) {
                if (sel.full() || sel.count(Form.WHICH_FALSE) > 0) {
                    break;
                }
                boolean consistent = !sel.asked.containsKey(d.sentence())
                        || sel.asked.get(d.sentence()).equals(d.answerKey());
                if (consistent && QuestionForms.statement(analysis.sentences().get(d.sentence()))
                        && corrupted.add(d.sentence())) {
                    Set<Integer> taken = new HashSet<>(sel.sentences);
                    taken.addAll(sel.asked.keySet());
                    QuestionForms.whichFalse(analysis, d, taken, phrases, request.includeExplanations(), random)
                            .ifPresent(sel::add);
                }
            }
        }
        sel.chosen.sort(Comparator.comparingInt(Draft::sentence).thenComparing(d -> d.form().ordinal()));
        List<Question> out = new ArrayList<>(sel.chosen.size());
        for (Draft d : sel.chosen) {
            out.add(toQuestion(d, wanted, new Random(seed ^ d.question().hashCode())));
        }
        return List.copyOf(out);
    }

    private static void addWhichTrue(Analysis analysis, List<Sentence> targets, List<Draft> drafts, String topic,
                                     Phrases phrases, QuestionRequest request, Selection sel) {
        for (Sentence s : targets) {
            if (sel.full() || sel.count(Form.WHICH_TRUE) > 0) {
                return;
            }
            if (QuestionForms.statement(s) && !sel.sentences.contains(s.index())) {
                QuestionForms.whichTrue(analysis, s, drafts, topic, phrases, request.includeExplanations(),
                        sel.asked).ifPresent(sel::add);
            }
        }
    }

    /** Greedy: best first, one question per sentence and per answer, spreading over term kinds. */
    private static void pickTermDrafts(List<Draft> drafts, Selection sel, int upTo, String wanted) {
        while (sel.chosen.size() < upTo) {
            Draft best = null;
            int bestScore = Integer.MIN_VALUE;
            for (Draft d : drafts) {
                if (!sel.allows(d)) {
                    continue;
                }
                int score = d.score() + (d.difficulty().equals(wanted) ? 15 : 0)
                        - 10 * sel.kinds.getOrDefault(d.kind(), 0) - 6 * sel.count(d.form());
                if (score > bestScore) {
                    best = d;
                    bestScore = score;
                }
            }
            if (best == null) {
                return;
            }
            sel.add(best);
        }
    }

    private static Question toQuestion(Draft d, String wanted, Random random) {
        List<String> options = new ArrayList<>(d.options());
        String answer = options.get(0);
        Collections.shuffle(options, random);
        String difficulty = "mixed".equals(wanted) ? d.difficulty() : wanted;
        return new Question(d.question(), options, options.indexOf(answer), d.explanation(), difficulty);
    }

    /** What has been chosen so far. */
    private static final class Selection {
        final int count;
        final List<Draft> chosen = new ArrayList<>();
        final Set<Integer> sentences = new HashSet<>();
        /** sentence -> the key of the one term any question on this page may blank out or swap in it. */
        final Map<Integer, String> asked = new HashMap<>();
        final Set<String> answers = new HashSet<>();
        final Set<String> questions = new HashSet<>();
        final Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        final Map<Form, Integer> forms = new EnumMap<>(Form.class);

        Selection(int count) {
            this.count = count;
        }

        boolean full() {
            return chosen.size() >= count;
        }

        int count(Form f) {
            return forms.getOrDefault(f, 0);
        }

        /** Whether {@code d} is new: its sentence (false statements excepted), answer, wording, four options. */
        boolean allows(Draft d) {
            if (d.kind() != null && asked.containsKey(d.sentence()) && !asked.get(d.sentence()).equals(d.answerKey())) {
                return false; // a statement question changed another term of this sentence: it would give this away
            }
            return !full() && (d.form() == Form.WHICH_FALSE || !sentences.contains(d.sentence()))
                    && !answers.contains(d.answerKey()) && !questions.contains(d.question().toLowerCase(Locale.ROOT))
                    && d.options().stream().map(o -> o.toLowerCase(Locale.ROOT)).distinct().count() == 4;
        }

        void add(Draft d) {
            if (!allows(d)) {
                return;
            }
            chosen.add(d);
            if (d.form() != Form.WHICH_FALSE) {
                sentences.add(d.sentence());
            }
            answers.add(d.answerKey());
            if (d.kind() != null) {
                asked.put(d.sentence(), d.answerKey());
            }
            d.swaps().forEach(asked::putIfAbsent);
            questions.add(d.question().toLowerCase(Locale.ROOT));
            if (d.kind() != null) {
                kinds.merge(d.kind(), 1, Integer::sum);
            }
            forms.merge(d.form(), 1, Integer::sum);
        }
    }

    private static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
