package dev.realtime.core.quiz;

import dev.realtime.core.quiz.PageAnalyzer.Analysis;
import dev.realtime.core.quiz.PageAnalyzer.Sentence;
import dev.realtime.core.quiz.PageAnalyzer.Token;
import dev.realtime.core.quiz.Term.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the key terms of analysed sentences from their part-of-speech tags: proper-noun runs ("Sea of Tranquility",
 * "Apollo 11"), years, dates, numbers with their unit, and noun phrases (adjectives + nouns: "water vapour",
 * "tectonic plates"). Names get their person/place/other kind from {@link TermKinds}; noun phrases are processes
 * (evaporation, Photosynthese) or things by their head noun's suffix. Stateless.
 */
final class TermExtractor {
    private static final Pattern DIGITS = Pattern.compile("\\d{1,3}(,\\d{3})+(\\.\\d+)?|\\d+([.,]\\d+)?");
    private static final Set<String> MONTHS = Set.of("january", "february", "march", "april", "may", "june",
            "july", "august", "september", "october", "november", "december", "januar", "februar", "märz", "mai",
            "juni", "juli", "oktober", "dezember", "januari", "februari", "maart", "mei", "augustus");
    private static final Pattern NATIONALITY = Pattern.compile("\\p{Lu}\\p{Ll}+(an|ish|ese|ch|ic|i)");
    private static final Set<String> OBJECT_STARTS = Set.of("the", "a", "an", "it", "them", "its", "their", "his",
            "her");
    private static final Set<String> ERAS = Set.of("bc", "ad", "bce", "ce", "v.", "n.");
    private static final Set<String> CONNECTORS = Set.of("of", "de", "van", "von", "der", "den", "du", "la", "y");
    private static final Set<String> STOP_ADJECTIVES = Set.of("other", "such", "same", "many", "several", "few",
            "own", "certain", "various", "much", "more", "most", "each", "every", "second", "first", "last", "next",
            "new", "old", "whole", "only", "andere", "viele", "erste", "zweite", "neue");
    private static final Set<String> STOP_NOUNS = Set.of("part", "parts", "summary", "course", "way", "kind", "lot",
            "half", "thing", "things", "time", "times", "year", "years", "page", "pages", "figure", "table",
            "chapter", "section", "example", "number", "century", "centuries", "side", "end", "rest", "case", "fact", "one", "ones", "lots",
            "teil", "seite", "beispiel", "zeit", "art", "fall", "jahr", "jahre", "mal");
    /** Heads that name a process: evaporation, photosynthesis, Verdunstung, Photosynthese, Dunkelreaktion. */
    private static final Pattern PROCESS_HEAD = Pattern.compile(".{3,}(ation|ition|ution|ction|ption|stion|ysis|"
            + "osis|esis|ung|ese|ktion)(s|en)?");

    private TermExtractor() {
    }

    /** Every term of every prose sentence, names classified; in order of appearance. */
    static List<Term> extract(Analysis analysis) {
        List<Term> out = new ArrayList<>();
        for (Sentence s : analysis.sentences()) {
            if (s.prose()) {
                extract(s, out);
            }
        }
        return TermKinds.classify(analysis, out);
    }

    private static void extract(Sentence s, List<Term> out) {
        List<Token> t = s.tokens();
        int i = 0;
        while (i < t.size()) {
            int next = properRun(s, i, out);
            if (next == i) {
                next = number(s, i, out);
            }
            if (next == i) {
                next = nounPhrase(s, i, out);
            }
            i = next == i ? i + 1 : next;
        }
    }

    /** A run of proper nouns, joined by "of"/"van"/hyphens, with a trailing model number ("Apollo 11"). */
    private static int properRun(Sentence s, int i, List<Term> out) {
        List<Token> t = s.tokens();
        boolean start = t.get(i).is("PROPN") || i == 0 && i + 1 < t.size() && t.get(i + 1).is("PROPN")
                && t.get(i).is("ADJ", "X", "NOUN") && !PageAnalyzer.functionWord(t.get(i).text());
        // ^ "Maximilien/ADJ Robespierre/PROPN led ...", but not "De/X Oosterscheldekering"
        if (!start || !Character.isUpperCase(t.get(i).text().charAt(0))) {
            return i;
        }
        if (i == 0 && (i + 1 == t.size() || !t.get(i + 1).is("PROPN"))
                && PROCESS_HEAD.matcher(t.get(i).lower()).matches()) {
            return i; // "Evaporation turns ...": a capitalised noun at the start, not a name
        }
        if (i + 1 < t.size() && t.get(i + 1).is("NOUN") && Character.isLowerCase(t.get(i + 1).text().charAt(0))
                && NATIONALITY.matcher(t.get(i).text()).matches()) {
            return i + 1; // "the English physician": a nationality modifying a noun, not a name to ask about
        }
        int end = i + 1;
        while (end < t.size()) {
            Token tok = t.get(end);
            if (tok.is("PROPN") && Character.isLetterOrDigit(tok.text().charAt(0))) {
                end++;
            } else if (end + 1 < t.size() && CONNECTORS.contains(tok.lower()) && t.get(end + 1).is("PROPN")
                    && Character.isUpperCase(t.get(end + 1).text().charAt(0))) {
                end += 2;
            } else if (glued(t, end) && end + 1 < t.size() && glued(t, end + 1) && tok.text().equals("-")) {
                end += 2; // "Estates-General" split into three tokens
            } else if (glued(t, end) && tok.text().length() > 1 && tok.text().charAt(0) == '-'
                    && Character.isUpperCase(tok.text().charAt(1))) {
                end++; // ... or into "Estates" and "-General"
            } else if (tok.is("NUM") && !isYear(tok.text()) && tok.text().matches("\\d+")) {
                end++;
                break;
            } else {
                break;
            }
        }
        add(s, i, end, Kind.NAME, "", out);
        return end;
    }

    private static int number(Sentence s, int i, List<Term> out) {
        List<Token> t = s.tokens();
        Token tok = t.get(i);
        if (!DIGITS.matcher(tok.text()).matches()) {
            return i;
        }
        // dates: "14 July 1789", "July 14, 1789"
        if (i + 2 < t.size() && MONTHS.contains(t.get(i + 1).lower()) && isYear(t.get(i + 2).text())
                && tok.text().matches("\\d{1,2}")) {
            add(s, i, i + 3, Kind.DATE, "", out);
            return i + 3;
        }
        if (i > 0 && MONTHS.contains(t.get(i - 1).lower()) && tok.text().matches("\\d{1,2}") && i + 2 < t.size()
                && t.get(i + 1).text().equals(",") && isYear(t.get(i + 2).text())) {
            add(s, i - 1, i + 3, Kind.DATE, "", out);
            return i + 3;
        }
        String next = i + 1 < t.size() ? t.get(i + 1).lower() : "";
        if (ERAS.contains(next)) {
            add(s, i, i + 2, Kind.YEAR, "", out);
            return i + 2;
        }
        boolean unitNoun = i + 1 < t.size() && t.get(i + 1).is("NOUN") && Character.isLetter(next.isEmpty()
                ? ' ' : next.charAt(0)) && !MONTHS.contains(next);
        if (isYear(tok.text()) && !unitNoun) {
            add(s, i, i + 1, Kind.YEAR, "", out);
        } else if (unitNoun || tok.text().replaceAll("\\D", "").length() >= 2) {
            add(s, i, i + 1, Kind.NUMBER, unitNoun ? next : "", out);
        }
        return i + 1;
    }

    /** Adjectives and nouns ending in a noun: "liquid water", "tectonic plates", "Chloroplasten". */
    private static int nounPhrase(Sentence s, int i, List<Term> out) {
        List<Token> t = s.tokens();
        boolean startNoun = i == 0 && t.get(i).is("PROPN") && PROCESS_HEAD.matcher(t.get(i).lower()).matches();
        int end = i;
        while (end < t.size() && (t.get(end).is("ADJ") || t.get(end).is("NOUN") || startNoun && end == i)) {
            if (end > i && t.get(end).is("NOUN") && t.get(end - 1).is("NOUN") && likelyVerb(t, end)) {
                break;
            }
            end++;
        }
        while (end > i && !t.get(end - 1).is("NOUN") && !(startNoun && end - 1 == i)) {
            end--;
        }
        if (end == i) {
            return i;
        }
        int from = i;
        while (from < end && (STOP_ADJECTIVES.contains(t.get(from).lower()) || t.get(from).text().equals("-")
                || Character.isDigit(t.get(from).text().charAt(0))
                || t.get(from).is("ADJ") && NATIONALITY.matcher(t.get(from).text()).matches())) {
            from++;
        }
        if (end - from > 4) {
            from = end - 4;
        }
        String head = t.get(end - 1).lower();
        if (from < end && !STOP_NOUNS.contains(head) && head.length() >= 3 && Character.isLetter(head.charAt(0))) {
            add(s, from, end, PROCESS_HEAD.matcher(head).matches() && head.length() >= 7 ? Kind.PROCESS
                    : Kind.THING, "", out);
        }
        return end;
    }

    private static void add(Sentence s, int from, int to, Kind kind, String unit, List<Term> out) {
        List<Token> t = s.tokens();
        int start = t.get(from).start();
        int end = t.get(to - 1).end();
        String text = s.text().substring(start, end);
        boolean wholeWords = (start == 0 || !joins(s.text().charAt(start - 1)))
                && (end == s.text().length() || !joins(s.text().charAt(end)));
        if (text.length() >= 2 && wholeWords && !text.startsWith("-")) { // never half of "per-minute"
            out.add(new Term(text, kind, s.index(), from, to, unit));
        }
    }

    /**
     * Whether the noun at {@code i}, after another noun, is rather a mis-tagged verb: English compounds take singular
     * modifiers ("plates float" is a clause, "water vapour" a compound), and a final -s noun followed by a
     * preposition, adverb or determiner is a verb ("the water moves between", "the heart beats about").
     */
    private static boolean likelyVerb(List<Token> t, int i) {
        String prev = t.get(i - 1).lower();
        if (prev.endsWith("s") && !prev.endsWith("ss") && prev.length() > 3 && prev.matches("[a-z]+")) {
            return true;
        }
        if (i + 1 < t.size() && OBJECT_STARTS.contains(t.get(i + 1).lower())) {
            return true; // a noun is rarely followed by "the" or "it": "let the water run the ...", "X traps it"
        }
        String w = t.get(i).lower();
        if (!w.endsWith("s") || w.endsWith("ss") || i + 1 >= t.size()) {
            return false;
        }
        Token next = t.get(i + 1);
        return next.is("ADP", "ADV", "DET", "ADJ", "NUM", "PRON", "NOUN") && !Set.of("of", "such", "like", "as")
                .contains(next.lower());
    }

    private static boolean joins(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '`';
    }

    /** Whether token {@code i} follows token {@code i - 1} without a space. */
    private static boolean glued(List<Token> t, int i) {
        return i > 0 && i < t.size() && t.get(i - 1).end() == t.get(i).start();
    }

    static boolean isYear(String s) {
        if (!s.matches("\\d{4}")) {
            return false;
        }
        int y = Integer.parseInt(s);
        return y >= 1000 && y <= 2100;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
