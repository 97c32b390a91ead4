package dev.realtime.core.quiz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import opennlp.tools.postag.POSTagFormat;
import opennlp.tools.postag.POSTaggerME;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.tokenize.TokenizerME;
import opennlp.tools.util.Span;

/**
 * Splits a page's text into sentences of part-of-speech-tagged tokens: with the OpenNLP models of the page's language
 * (English, German) when there are some, else with plain-text rules (sentence punctuation, capitalised words as
 * proper nouns, digits as numbers). Short lines without sentence punctuation (headings, table rows) become
 * non-prose "sentences" that give topics but never questions.
 *
 * <p>Stateless and thread-safe (OpenNLP tools are created per call).
 */
final class PageAnalyzer {
    /**
     * A token: its text, its Universal-Dependencies tag (NOUN, PROPN, NUM, ADJ, VERB, ADP, DET, ...) and its
     * character range in the sentence text.
     */
    record Token(String text, String tag, int start, int end) {
        boolean is(String... tags) {
            for (String t : tags) {
                if (t.equals(tag)) {
                    return true;
                }
            }
            return false;
        }

        String lower() {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    /** One sentence (or, when {@code prose} is false, a heading or table line). */
    record Sentence(int index, String text, List<Token> tokens, boolean prose) {
    }

    /** A page's sentences and language ({@code en}, {@code de}, {@code nl}, ... or {@code und}). */
    record Analysis(String language, boolean tagged, List<Sentence> sentences) {
    }

    private static final Pattern SENTENCE_END =
            Pattern.compile("(?<=[.!?])[\"')\\]]?\\s+(?=[\"'(\\[]?[\\p{Lu}0-9])");
    private static final Pattern TOKEN = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:[.,]\\d+)?"
            + "|\\p{L}[\\p{L}\\p{M}'\\-]*|\\S");
    private static final Pattern TERMINAL = Pattern.compile(".*[.!?:;][\"')\\]]?$");
    private static final Map<String, Set<String>> FUNCTION_WORDS = Map.of(
            "en", Set.of("the", "and", "of", "is", "are", "was", "to", "in", "that", "with", "it", "for", "on", "as",
                    "by", "this", "from", "when"),
            "de", Set.of("der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "ein", "eine", "zu", "von",
                    "im", "auf", "sich", "des", "wird", "auch"),
            "nl", Set.of("de", "het", "een", "en", "van", "is", "niet", "met", "op", "voor", "zijn", "werd", "dat",
                    "bij", "tot", "uit", "naar", "ook"),
            "fr", Set.of("le", "la", "les", "et", "des", "est", "une", "du", "dans", "pour", "qui", "que", "sur",
                    "pas", "au", "avec"),
            "es", Set.of("el", "los", "las", "y", "del", "es", "una", "por", "con", "para", "que", "en", "se", "al",
                    "como"));

    private PageAnalyzer() {
    }

    static Analysis analyze(String raw) {
        String text = raw.replace('\u00a0', ' ').replace('\r', '\n')
                .replaceAll("(\\p{Ll})-\\n\\s*(\\p{Ll})", "$1$2") // words hyphenated at a line end
                .replaceAll("[ \\t\\x0B\\f]+", " ");
        String language = language(text);
        Optional<NlpModels.Models> models = NlpModels.of(language);
        List<Sentence> out = new ArrayList<>();
        SentenceDetectorME sentences = models.map(m -> new SentenceDetectorME(m.sentences())).orElse(null);
        TokenizerME tokenizer = models.map(m -> new TokenizerME(m.tokens())).orElse(null);
        POSTaggerME tagger = models.map(m -> new POSTaggerME(m.pos(), POSTagFormat.UD)).orElse(null);
        for (Block b : blocks(text)) {
            if (!b.prose()) {
                out.add(new Sentence(out.size(), b.text(), heuristicTokens(b.text(), false), false));
                continue;
            }
            List<String> parts = new ArrayList<>();
            if (sentences != null) {
                for (Span s : sentences.sentPosDetect(b.text())) {
                    parts.add(s.getCoveredText(b.text()).toString().strip());
                }
            } else {
                for (String s : SENTENCE_END.split(b.text())) {
                    parts.add(s.strip());
                }
            }
            for (String s : parts) {
                if (s.isEmpty()) {
                    continue;
                }
                List<Token> tokens;
                if (tokenizer != null) {
                    Span[] spans = tokenizer.tokenizePos(s);
                    spans = splitFinalPeriod(spans, s);
                    String[] words = Span.spansToStrings(spans, s);
                    String[] tags = tagger.tag(words);
                    tokens = new ArrayList<>(words.length);
                    for (int i = 0; i < words.length; i++) {
                        String tag = tags[i];
                        String w = words[i];
                        boolean capitalised = Character.isUpperCase(w.charAt(0));
                        boolean nextCapitalised = i + 1 < words.length
                                && Character.isUpperCase(words[i + 1].charAt(0));
                        if (w.length() >= 2 && w.chars().allMatch(Character::isUpperCase)) {
                            tag = "PROPN"; // acronyms: HTTPS, TLS
                        } else if (language.equals("en") && i > 0 && capitalised
                                && (tag.equals("NOUN") || tag.equals("X") || tag.equals("ADJ") && nextCapitalised)) {
                            tag = "PROPN"; // English capitalises names, not nouns: "the Committee of Public Safety"
                        }
                        tokens.add(new Token(words[i], tag, spans[i].getStart(), spans[i].getEnd()));
                    }
                } else {
                    tokens = heuristicTokens(s, true);
                }
                out.add(new Sentence(out.size(), s, List.copyOf(tokens), true));
            }
        }
        return new Analysis(language, models.isPresent(), List.copyOf(out));
    }

    /** Whether {@code word} is a function word (article, preposition, ...) of a language the analyzer knows. */
    static boolean functionWord(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (Set<String> words : FUNCTION_WORDS.values()) {
            if (words.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** The language whose function words are most frequent, {@code und} when none is clearly there. */
    static String language(String text) {
        int[] counts = new int[FUNCTION_WORDS.size()];
        List<String> langs = List.copyOf(new TreeSet<>(FUNCTION_WORDS.keySet()));
        Matcher m = Pattern.compile("\\p{L}+").matcher(text);
        int words = 0;
        while (m.find() && words < 2000) {
            words++;
            String w = m.group().toLowerCase(Locale.ROOT);
            for (int i = 0; i < langs.size(); i++) {
                if (FUNCTION_WORDS.get(langs.get(i)).contains(w)) {
                    counts[i]++;
                }
            }
        }
        int best = -1;
        for (int i = 0; i < langs.size(); i++) {
            if (counts[i] > 0 && (best < 0 || counts[i] > counts[best] || counts[i] == counts[best]
                    && langs.get(i).equals("en"))) {
                best = i;
            }
        }
        return best < 0 ? "und" : langs.get(best);
    }

    private record Block(String text, boolean prose) {
    }

    /**
     * Paragraphs of prose, and separate heading or table lines: a short line (under 60 characters) without
     * sentence punctuation stands alone; other lines are joined with the lines after them into prose.
     */
    private static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        StringBuilder para = new StringBuilder();
        for (String line : text.split("\\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                flush(para, out);
                continue;
            }
            boolean terminal = TERMINAL.matcher(l).matches();
            if (!terminal && l.length() < 60 && (para.length() == 0 || endsSentence(para))) {
                flush(para, out);
                out.add(new Block(l, false));
                continue;
            }
            if (para.length() > 0) {
                para.append(' ');
            }
            para.append(l);
        }
        flush(para, out);
        return out;
    }

    private static boolean endsSentence(StringBuilder para) {
        return TERMINAL.matcher(para).matches();
    }

    private static void flush(StringBuilder para, List<Block> out) {
        if (para.length() > 0) {
            String p = para.toString();
            // prose ends in sentence punctuation or runs long (wrapped lines); anything else is a heading or a row
            out.add(new Block(p, TERMINAL.matcher(p).matches() || p.length() >= 60 && p.contains(" ")));
            para.setLength(0);
        }
    }

    /** The tokenizer sometimes leaves a sentence's final period on its last word ("Sun."): split it off. */
    private static Span[] splitFinalPeriod(Span[] spans, String s) {
        if (spans.length == 0) {
            return spans;
        }
        Span last = spans[spans.length - 1];
        String w = last.getCoveredText(s).toString();
        if (w.length() < 3 || !w.endsWith(".") || w.indexOf('.') != w.length() - 1) {
            return spans;
        }
        Span[] out = Arrays.copyOf(spans, spans.length + 1);
        out[spans.length - 1] = new Span(last.getStart(), last.getEnd() - 1);
        out[spans.length] = new Span(last.getEnd() - 1, last.getEnd());
        return out;
    }

    /** Tokens tagged by shape: numbers NUM, capitalised words after the first PROPN, others X. */
    private static List<Token> heuristicTokens(String s, boolean prose) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            String w = m.group();
            String tag;
            if (Character.isDigit(w.charAt(0))) {
                tag = "NUM";
            } else if (!Character.isLetter(w.charAt(0))) {
                tag = "PUNCT";
            } else if (Character.isUpperCase(w.charAt(0)) && (!out.isEmpty() || !prose) && w.length() > 1) {
                tag = "PROPN";
            } else {
                tag = "X";
            }
            out.add(new Token(w, tag, m.start(), m.end()));
        }
        return out;
    }
}
