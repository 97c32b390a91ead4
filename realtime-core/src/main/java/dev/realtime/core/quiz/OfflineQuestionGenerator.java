package dev.realtime.core.quiz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic, network-free {@link QuestionGenerator} that writes fill-in-the-blank multiple-choice questions
 * from the source text: it picks informative sentences, blanks out a key term (a proper-noun phrase, a number, or a
 * long content word), and draws three distractors of the same kind from elsewhere in the text (numbers may also be
 * derived from the answer, e.g. nearby years). Options are shuffled with a seed derived from the text, so the same
 * request always yields the same questions. The explanation quotes the source sentence.
 *
 * <p>Returns {@code count} questions when the text has enough suitable sentences, fewer (possibly none) when it is
 * thin. Tuned for English prose; other languages work less well. Used when no Gemini key is configured.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class OfflineQuestionGenerator implements QuestionGenerator {
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])[\"')\\]]?\\s+(?=[\"'(\\[]?[A-Z0-9])|\\n\\s*\\n");
    private static final Pattern PROPER = Pattern.compile(
            "(?<![\\p{L}])\\p{Lu}[\\p{L}'\\-]+(?:\\s+(?:(?:of|de|von|van|the)\\s+)?\\p{Lu}[\\p{L}'\\-]+)*");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?(?![\\w])"
            + "|(?<![\\w.,])\\d+(?:\\.\\d+)?(?![\\w,]|\\.\\d)");
    private static final Pattern WORD = Pattern.compile("\\b[a-z][a-z\\-]{7,}\\b");
    private static final String BLANK = "_____";
    private static final Set<String> STOP = Set.of(
            "the", "a", "an", "this", "that", "these", "those", "it", "its", "in", "on", "at", "by", "for", "from",
            "with", "and", "but", "or", "as", "of", "to", "he", "she", "they", "we", "i", "you", "his", "her",
            "their", "our", "after", "before", "during", "when", "while", "although", "however", "because", "since",
            "if", "then", "there", "here", "some", "many", "most", "all", "each", "every", "both", "one", "two",
            "also", "thus", "therefore", "today", "later", "finally", "in addition", "unlike", "like",
            "chapter", "figure", "table", "page", "section");
    private static final Set<String> WEAK_WORDS = Set.of(
            "including", "although", "therefore", "however", "something", "everything", "whatever", "different",
            "important", "following", "together", "whenever", "possible", "probably", "actually", "generally",
            "usually", "sometimes", "especially", "particularly", "according", "throughout", "themselves",
            "described", "consider", "considered", "received", "becoming", "remained", "continued", "increasingly");

    /** Kinds of blanked terms; distractors come from the same kind. */
    private enum Kind { PROPER, NUMBER, WORD }

    private record Term(String text, Kind kind) {
    }

    /** Creates the generator. */
    public OfflineQuestionGenerator() {
    }

    @Override
    public List<Question> generate(QuestionRequest request) {
        String text = request.text().replace('\u00a0', ' ').replaceAll("[ \\t\\x0B\\f\\r]+", " ");
        List<String> sentences = sentences(text);
        Map<Kind, List<String>> pool = termPool(sentences);
        long seed = fnv1a64(text);

        record Candidate(int order, String sentence, Term term, int score) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i);
            if (s.length() < 40 || s.length() > 320 || s.split("\\s+").length < 6 || s.endsWith("?")) {
                continue;
            }
            for (Term t : viableTerms(s, pool)) {
                int score = (t.kind() == Kind.PROPER ? 30 : t.kind() == Kind.NUMBER ? 26 : 10)
                        + Math.min(t.text().length(), 20) - Math.abs(s.length() - 140) / 20;
                candidates.add(new Candidate(i, s, t, score));
            }
        }

        // greedy: best score first, one question per sentence and per answer, penalising kinds already used so
        // that a page yields a mix of name, number and vocabulary questions
        List<Candidate> chosen = new ArrayList<>();
        Set<Integer> usedSentences = new LinkedHashSet<>();
        Set<String> usedAnswers = new LinkedHashSet<>();
        Map<Kind, Integer> kindCount = new LinkedHashMap<>();
        while (chosen.size() < request.count()) {
            Candidate best = null;
            int bestScore = Integer.MIN_VALUE;
            for (Candidate c : candidates) {
                if (usedSentences.contains(c.order()) || usedAnswers.contains(c.term().text().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                int score = c.score() - 12 * kindCount.getOrDefault(c.term().kind(), 0);
                if (score > bestScore) {
                    best = c;
                    bestScore = score;
                }
            }
            if (best == null) {
                break;
            }
            chosen.add(best);
            usedSentences.add(best.order());
            usedAnswers.add(best.term().text().toLowerCase(Locale.ROOT));
            kindCount.merge(best.term().kind(), 1, Integer::sum);
        }
        chosen.sort(Comparator.comparingInt(Candidate::order));

        List<Question> out = new ArrayList<>();
        for (Candidate c : chosen) {
            Random random = new Random(seed ^ (31L * c.order() + 17));
            List<String> distractors = distractors(c.term(), c.sentence(), pool, random);
            if (distractors.size() < 3) {
                continue;
            }
            List<String> options = new ArrayList<>(distractors.subList(0, 3));
            options.add(c.term().text());
            java.util.Collections.shuffle(options, random);
            String stem = replaceFirst(c.sentence(), c.term().text(), BLANK);
            String question = switch (c.term().kind()) {
                case NUMBER -> "Which number fills the blank in this statement from the text? \"" + stem + "\"";
                case PROPER -> "Which name or term fills the blank in this statement from the text? \"" + stem + "\"";
                case WORD -> "Which word fills the blank in this statement from the text? \"" + stem + "\"";
            };
            String explanation = request.includeExplanations()
                    ? "The text states: \"" + c.sentence() + "\"" : "";
            out.add(new Question(question, options, options.indexOf(c.term().text()), explanation,
                    difficulty(request, c.term(), c.sentence())));
        }
        return List.copyOf(out);
    }

    private static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_END.split(text)) {
            String t = s.replaceAll("\\s+", " ").strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every candidate term of the text by kind, in order of first appearance. */
    private static Map<Kind, List<String>> termPool(List<String> sentences) {
        Map<Kind, Set<String>> sets = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            sets.put(k, new LinkedHashSet<>());
        }
        for (String s : sentences) {
            for (Term t : terms(s)) {
                sets.get(t.kind()).add(t.text());
            }
        }
        Map<Kind, List<String>> out = new LinkedHashMap<>();
        sets.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    private static List<Term> terms(String sentence) {
        List<Term> out = new ArrayList<>();
        Matcher m = PROPER.matcher(sentence);
        while (m.find()) {
            String phrase = trimProper(m.group(), m.start() == 0);
            if (phrase != null) {
                out.add(new Term(phrase, Kind.PROPER));
            }
        }
        m = NUMBER.matcher(sentence);
        while (m.find()) {
            String n = m.group();
            if (n.replaceAll("\\D", "").length() >= 2) { // single digits make poor questions
                out.add(new Term(n, Kind.NUMBER));
            }
        }
        m = WORD.matcher(sentence);
        while (m.find()) {
            String w = m.group();
            if (!WEAK_WORDS.contains(w) && !w.endsWith("ly") && !w.startsWith("-") && !w.endsWith("-")) {
                out.add(new Term(w, Kind.WORD));
            }
        }
        return out;
    }

    /** Drops a leading stop word (sentence starts) and rejects phrases that are only stop words. */
    private static String trimProper(String phrase, boolean sentenceStart) {
        String[] words = phrase.split("\\s+");
        int from = 0;
        while (from < words.length && STOP.contains(words[from].toLowerCase(Locale.ROOT))) {
            from++;
        }
        if (from == words.length) {
            return null;
        }
        String result = String.join(" ", java.util.Arrays.copyOfRange(words, from, words.length));
        if (sentenceStart && from == 0 && words.length == 1) {
            return null; // a single capitalised word at a sentence start is usually not a name
        }
        return result.length() >= 3 ? result : null;
    }

    /** Terms of the sentence for which at least three distractors exist (numbers can always be varied). */
    private static List<Term> viableTerms(String sentence, Map<Kind, List<String>> pool) {
        List<Term> out = new ArrayList<>();
        for (Term t : terms(sentence)) {
            long available = pool.get(t.kind()).stream()
                    .filter(o -> !o.equalsIgnoreCase(t.text()) && !containsIgnoreCase(sentence, o)
                            && !containsIgnoreCase(o, t.text()) && !containsIgnoreCase(t.text(), o))
                    .count();
            if (t.kind() == Kind.NUMBER || available >= 3) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<String> distractors(Term answer, String sentence, Map<Kind, List<String>> pool,
                                            Random random) {
        List<String> candidates = new ArrayList<>();
        for (String o : pool.get(answer.kind())) {
            if (!o.equalsIgnoreCase(answer.text()) && !containsIgnoreCase(sentence, o)
                    && !containsIgnoreCase(o, answer.text()) && !containsIgnoreCase(answer.text(), o)) {
                candidates.add(o);
            }
        }
        // prefer terms of similar length (similar "shape" makes better distractors), ties broken by the seed
        List<String> shuffled = new ArrayList<>(candidates);
        java.util.Collections.shuffle(shuffled, random);
        int answerWords = answer.text().split("\\s+").length;
        Set<String> answerTokens = new java.util.HashSet<>(java.util.Arrays.asList(
                answer.text().toLowerCase(Locale.ROOT).split("[\\s\\-]+"))); // may repeat a word
        shuffled.sort(Comparator.<String>comparingInt(o -> {
            String[] tokens = o.toLowerCase(Locale.ROOT).split("[\\s\\-]+");
            boolean shares = java.util.Arrays.stream(tokens).anyMatch(answerTokens::contains);
            return shares ? 0 : 1; // "Marie Curie" is a better distractor for "Pierre Curie" than "Nobel Prize"
        }).thenComparingInt(o -> o.split("\\s+").length == answerWords ? 0 : 1)
                .thenComparingInt(o -> Math.abs(o.length() - answer.text().length()) / 4));
        List<String> out = new ArrayList<>();
        for (String o : shuffled) {
            if (out.size() == 3) {
                break;
            }
            if (out.stream().noneMatch(x -> x.equalsIgnoreCase(o))) {
                out.add(o);
            }
        }
        if (answer.kind() == Kind.NUMBER && out.size() < 3) {
            for (String n : numericVariants(answer.text(), random)) {
                if (out.size() == 3) {
                    break;
                }
                if (!n.equals(answer.text()) && !out.contains(n)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Plausible numbers near the answer: years shift by a few years/decades, other numbers scale. */
    private static List<String> numericVariants(String number, Random random) {
        String digits = number.replace(",", "");
        List<String> out = new ArrayList<>();
        try {
            if (digits.contains(".")) {
                double v = Double.parseDouble(digits);
                int scale = digits.length() - digits.indexOf('.') - 1;
                for (double f : new double[] {0.5, 1.5, 2.0, 0.75, 3.0}) {
                    out.add(String.format(Locale.ROOT, "%." + scale + "f", v * f));
                }
            } else {
                long v = Long.parseLong(digits);
                long[] deltas = v >= 1000 && v <= 2100 ? new long[] {-10, 7, -4, 12, 25, -21}
                        : new long[] {v, -v / 2, v * 2, v / 4 == 0 ? 3 : v / 4, v * 9};
                for (long d : deltas) {
                    long n = v >= 1000 && v <= 2100 ? v + d : Math.max(1, v + d);
                    out.add(number.contains(",") ? String.format(Locale.ROOT, "%,d", n) : Long.toString(n));
                }
            }
        } catch (NumberFormatException e) {
            return List.of();
        }
        java.util.Collections.shuffle(out, random);
        return out;
    }

    private static String difficulty(QuestionRequest request, Term term, String sentence) {
        if (!"mixed".equals(request.difficulty())) {
            return request.difficulty();
        }
        if (term.kind() == Kind.WORD || sentence.length() > 200) {
            return "hard";
        }
        return term.kind() == Kind.PROPER ? "easy" : "medium";
    }

    private static String replaceFirst(String s, String term, String replacement) {
        int i = s.indexOf(term);
        return i < 0 ? s : s.substring(0, i) + replacement + s.substring(i + term.length());
    }

    private static boolean containsIgnoreCase(String haystack, String needle) {
        return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
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
