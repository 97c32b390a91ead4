package dev.realtime.core.quiz;

import dev.realtime.core.quiz.PageAnalyzer.Analysis;
import dev.realtime.core.quiz.PageAnalyzer.Sentence;
import dev.realtime.core.quiz.PageAnalyzer.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a page is about: its noun phrases and names ranked by how often their nouns recur on the page, with a bonus
 * for the subject of the first sentence when it recurs ("The heart is ..." on a page about the heart) and for
 * multi-word phrases ("water cycle" over "water"). Stateless.
 */
final class TopicTerms {

    /** A ranked topic: its display text (with "the" when the text uses it) and score. */
    record Topic(String text, String key, double score, int firstSentence) {
    }

    private TopicTerms() {
    }

    /** The page's topics, best first (numbers and dates excluded). */
    static List<Topic> rank(Analysis analysis, List<Term> terms) {
        Map<String, Integer> nounCounts = new HashMap<>();
        for (Sentence s : analysis.sentences()) {
            for (Token t : s.tokens()) {
                if (t.is("NOUN", "PROPN")) {
                    nounCounts.merge(stem(t.lower()), 1, Integer::sum);
                }
            }
        }
        int firstProse = -1;
        for (Sentence s : analysis.sentences()) {
            if (s.prose()) {
                firstProse = s.index();
                break;
            }
        }
        Map<String, Topic> best = new LinkedHashMap<>();
        for (Term t : terms) {
            if (t.kind().numeric() || t.text().length() < 3) {
                continue;
            }
            Sentence s = analysis.sentences().get(t.sentence());
            double score = 0;
            int maxCount = 0;
            for (Token token : s.tokens().subList(t.from(), t.to())) {
                if (token.is("NOUN", "PROPN")) {
                    int c = nounCounts.getOrDefault(stem(token.lower()), 0);
                    score += c;
                    maxCount = Math.max(maxCount, c);
                }
            }
            boolean subject = t.sentence() == firstProse && t.from() <= 1;
            if (subject && maxCount >= 2) {
                score += 4;
            }
            if (t.words() > 1) {
                score += 1;
            }
            boolean definite = t.from() > 0 && s.tokens().get(t.from() - 1).lower().equals("the")
                    && !t.kind().proper() && analysis.language().equals("en");
            String text = definite ? "the " + t.text() : t.text();
            if (t.from() == 0 && !t.kind().proper() && analysis.language().equals("en") && text.length() > 1
                    && Character.isLowerCase(text.charAt(1))) {
                text = Character.toLowerCase(text.charAt(0)) + text.substring(1);
            }
            Topic topic = new Topic(text, stem(t.key()), score, t.sentence());
            Topic old = best.get(topic.key());
            if (old == null || old.score() < score) {
                best.put(topic.key(), old == null ? topic : new Topic(old.text(), old.key(), score, old.firstSentence()));
            }
        }
        List<Topic> out = new ArrayList<>(best.values());
        out.sort(Comparator.comparingDouble((Topic x) -> -x.score()).thenComparingInt(Topic::firstSentence));
        return out;
    }

    /** A crude plural stem, enough to count "plate" and "plates" together. */
    static String stem(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w;
    }
}
