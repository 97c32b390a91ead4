package dev.realtime.core.quiz;

import dev.realtime.core.quiz.Term.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wrong options for a term: other terms of the page of exactly the same {@link Kind} (a year for a year, a person
 * for a person, a process for a process), never the answer, never a term of the question's own sentence, never a
 * term that contains the answer or is contained in it; numbers prefer the same unit and, when the page has too few,
 * are varied from the answer (years shift by a few years, quantities scale). Stateless.
 */
final class Distractors {
    private static final Pattern INTEGER = Pattern.compile("\\d{1,3}(?:,\\d{3})+|\\d+");

    private Distractors() {
    }

    /** Distinct same-kind terms of the page, by key, first occurrence kept. */
    static Map<Kind, List<Term>> pool(List<Term> terms) {
        Map<Kind, Map<String, Term>> byKind = new LinkedHashMap<>();
        for (Term t : terms) {
            byKind.computeIfAbsent(t.kind(), k -> new LinkedHashMap<>()).putIfAbsent(t.key(), t);
        }
        Map<Kind, List<Term>> out = new LinkedHashMap<>();
        byKind.forEach((k, v) -> out.put(k, List.copyOf(v.values())));
        return out;
    }

    /**
     * Up to three distractors for {@code answer} in {@code sentence}; fewer when the page does not have enough of
     * its kind (then no question should be asked about it).
     */
    static List<String> pick(Term answer, String sentence, Map<Kind, List<Term>> pool, Random random) {
        String lowerSentence = sentence.toLowerCase(Locale.ROOT);
        String a = answer.key();
        List<Term> candidates = new ArrayList<>();
        for (Term o : pool.getOrDefault(answer.kind(), List.of())) {
            String k = o.key();
            if (k.equals(a) || lowerSentence.contains(k) || k.contains(a) || a.contains(k)) {
                continue;
            }
            if (answer.kind() == Kind.NUMBER && !answer.unit().equals(o.unit())) {
                continue; // 70 times is not a distractor for 5 litres
            }
            candidates.add(o);
        }
        Collections.shuffle(candidates, random);
        boolean plural = answer.text().endsWith("s");
        Set<String> answerWords = new HashSet<>(Arrays.asList(a.split("[\\s\\-]+")));
        candidates.sort(Comparator.<Term>comparingInt(o -> Arrays.stream(o.key().split("[\\s\\-]+"))
                        .anyMatch(answerWords::contains) ? 0 : 1)
                .thenComparingInt(o -> o.words() == answer.words() ? 0 : 1)
                .thenComparingInt(o -> answer.kind().proper() || o.text().endsWith("s") == plural ? 0 : 1)
                .thenComparingInt(o -> Math.abs(o.text().length() - answer.text().length()) / 6));
        List<String> out = new ArrayList<>();
        for (Term o : candidates) {
            if (out.size() == 3) {
                break;
            }
            if (out.stream().noneMatch(x -> x.equalsIgnoreCase(o.text()))) {
                out.add(o.text());
            }
        }
        if (answer.kind().numeric() && out.size() < 3) {
            for (String n : variants(answer, random)) {
                if (out.size() == 3) {
                    break;
                }
                if (!n.equalsIgnoreCase(answer.text()) && out.stream().noneMatch(n::equalsIgnoreCase)
                        && !lowerSentence.contains(n.toLowerCase(Locale.ROOT))) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Plausible numbers near the answer: years and dates shift by a few years, other numbers scale. */
    static List<String> variants(Term answer, Random random) {
        String text = answer.text();
        Matcher m = INTEGER.matcher(text);
        List<String> out = new ArrayList<>();
        int lastStart = -1;
        int lastEnd = -1;
        long value = 0;
        while (m.find()) { // the last integer: the year of a date, the number of a quantity
            lastStart = m.start();
            lastEnd = m.end();
            value = Long.parseLong(m.group().replace(",", ""));
        }
        if (lastStart < 0) {
            return out;
        }
        boolean grouped = text.substring(lastStart, lastEnd).contains(",");
        long[] candidates;
        if (answer.kind() == Kind.YEAR || answer.kind() == Kind.DATE) {
            candidates = new long[] {value - 10, value + 7, value - 4, value + 12, value + 25, value - 21};
        } else {
            candidates = new long[] {value * 2, Math.max(1, value / 2), value * 10, value + Math.max(1, value / 4),
                    value * 3, Math.max(1, value - Math.max(1, value / 3))};
        }
        for (long c : candidates) {
            if (c <= 0 || c == value) {
                continue;
            }
            String n = grouped ? String.format(Locale.ROOT, "%,d", c) : Long.toString(c);
            out.add(text.substring(0, lastStart) + n + text.substring(lastEnd));
        }
        Collections.shuffle(out, random);
        return out;
    }
}
