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
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-]+");
    private static final Pattern DECIMAL = Pattern.compile("\\d+\\.\\d+");

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
        // similar shape first: a shared word ("Marie Curie" for "Pierre Curie"), as many words, same plurality,
        // similar length; the shuffle breaks ties
        boolean plural = answer.text().endsWith("s");
        Set<String> answerWords = new HashSet<>(Arrays.asList(SEPARATORS.split(a)));
        int answerCount = answer.words();
        List<int[]> ranked = new ArrayList<>(candidates.size()); // {rank, index}
        for (int i = 0; i < candidates.size(); i++) {
            Term o = candidates.get(i);
            String[] words = SEPARATORS.split(o.key());
            boolean shares = Arrays.stream(words).anyMatch(answerWords::contains);
            int rank = (shares ? 0 : 1000) + (words.length == answerCount ? 0 : 100)
                    + (answer.kind().proper() || o.text().endsWith("s") == plural ? 0 : 10)
                    + Math.min(9, Math.abs(o.text().length() - answer.text().length()) / 6);
            ranked.add(new int[] {rank, i});
        }
        ranked.sort(Comparator.<int[]>comparingInt(r -> r[0]).thenComparingInt(r -> r[1]));
        List<String> out = new ArrayList<>();
        for (int[] r : ranked) {
            Term o = candidates.get(r[1]);
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
        List<String> out = new ArrayList<>();
        Matcher d = DECIMAL.matcher(text);
        if (answer.kind() == Kind.NUMBER && d.find()) { // 2.5 -> 5.0, 1.3, 3.8 ...
            double v = Double.parseDouble(d.group());
            int scale = d.group().length() - d.group().indexOf('.') - 1;
            for (double f : new double[] {2, 0.5, 1.5, 3, 0.75}) {
                out.add(text.substring(0, d.start()) + String.format(Locale.ROOT, "%." + scale + "f", v * f)
                        + text.substring(d.end()));
            }
            Collections.shuffle(out, random);
            return out;
        }
        Matcher m = INTEGER.matcher(text);
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
