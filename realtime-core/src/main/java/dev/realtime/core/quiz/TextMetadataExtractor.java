package dev.realtime.core.quiz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link QuizMetadataExtractor#fromText()}. Stateless and thread-safe. */
final class TextMetadataExtractor implements QuizMetadataExtractor {
    private static final Pattern SENTENCE = Pattern.compile("[^.!?]+[.!?]+");
    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}'\\-]{4,}");
    private static final int MAX_DESCRIPTION = 240;
    /** Frequent words that say nothing about a topic (only words of five or more letters can be topics). */
    private static final Set<String> STOP = Set.of(
            "about", "above", "after", "again", "against", "along", "among", "another", "around", "because",
            "before", "being", "below", "between", "could", "during", "every", "first", "following", "further",
            "having", "however", "itself", "later", "might", "other", "others", "their", "there", "these", "those",
            "through", "under", "until", "where", "which", "while", "whose", "would", "should", "since", "still",
            "though", "within", "without", "years", "became", "called", "known", "including", "although", "often",
            "chapter");

    @Override
    public QuizMetadata extract(List<String> pageTexts, List<QuizQuestion> questions, String sourceName) {
        String first = pageTexts.stream().filter(t -> t != null && !t.isBlank()).findFirst().orElse("");
        String title = null;
        String rest = first;
        for (String line : first.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.length() >= 3 && l.length() <= 120 && !l.endsWith(".") && l.chars().filter(Character::isLetter)
                    .count() >= 3) {
                title = l;
                rest = first.substring(first.indexOf(line) + line.length());
            }
            break;
        }
        List<String> sentences = new ArrayList<>();
        Matcher m = SENTENCE.matcher(rest.replaceAll("\\s+", " "));
        while (m.find() && sentences.size() < 2) {
            sentences.add(m.group().strip());
        }
        if (title == null) {
            title = sentences.isEmpty() ? "Quiz" : shorten(sentences.get(0), 80);
        }
        String description = shorten(String.join(" ", sentences), MAX_DESCRIPTION);
        return new QuizMetadata(title, description, topics(pageTexts));
    }

    private static List<String> topics(List<String> pageTexts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> display = new LinkedHashMap<>();
        for (String text : pageTexts) {
            if (text == null) {
                continue;
            }
            Matcher m = WORD.matcher(text);
            while (m.find()) {
                String w = m.group();
                String key = w.toLowerCase(Locale.ROOT);
                if (STOP.contains(key)) {
                    continue;
                }
                counts.merge(key, 1, Integer::sum);
                display.putIfAbsent(key, Character.toUpperCase(w.charAt(0)) + w.substring(1));
            }
        }
        Map<String, Integer> firstSeen = new java.util.HashMap<>();
        for (String k : counts.keySet()) { // insertion order = first appearance
            firstSeen.put(k, firstSeen.size());
        }
        List<String> sorted = new ArrayList<>(counts.keySet());
        sorted.sort(Comparator.comparingInt((String k) -> -counts.get(k)).thenComparingInt(firstSeen::get));
        return sorted.stream().limit(5).map(display::get).toList();
    }

    private static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int cut = s.lastIndexOf(' ', max - 1);
        return s.substring(0, cut > max / 2 ? cut : max - 1).strip() + "\u2026";
    }
}
