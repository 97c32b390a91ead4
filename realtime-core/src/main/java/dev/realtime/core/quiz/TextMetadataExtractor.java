package dev.realtime.core.quiz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link QuizMetadataExtractor#fromText()}: title and description from the document's topic terms (see
 * {@link TopicTerms}), the title a heading when the first page opens with one. Stateless and thread-safe.
 */
final class TextMetadataExtractor implements QuizMetadataExtractor {
    private static final int MAX_DESCRIPTION = 240;

    /** Pages analysed for topics, spread evenly over a longer document (each costs a few milliseconds). */
    static final int MAX_PAGES = 20;

    @Override
    public QuizMetadata extract(List<String> pageTexts, List<QuizQuestion> questions, String sourceName) {
        String title = heading(pageTexts);
        List<TopicTerms.Topic> pageTopics = new ArrayList<>(); // each page's best topic, in page order
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, String> display = new LinkedHashMap<>();
        for (String text : sample(pageTexts)) {
            PageAnalyzer.Analysis analysis = PageAnalyzer.analyze(text);
            List<TopicTerms.Topic> ranked = TopicTerms.rank(analysis, TermExtractor.extract(analysis));
            if (!ranked.isEmpty() && pageTopics.stream().noneMatch(t -> t.key().equals(ranked.get(0).key()))) {
                pageTopics.add(ranked.get(0));
            }
            for (TopicTerms.Topic t : ranked) {
                scores.merge(t.key(), t.score(), Double::sum);
                display.putIfAbsent(t.key(), t.text());
            }
        }
        List<String> sorted = new ArrayList<>(scores.keySet());
        sorted.sort(Comparator.comparingDouble((String k) -> -scores.get(k)));
        List<String> topics = sorted.stream().limit(5).map(k -> capitalise(display.get(k).replaceFirst("^the ", "")))
                .toList();
        // the title names the pages' main topics: at most three, the best-scored ones, in page order
        List<TopicTerms.Topic> main = pageTopics.stream()
                .sorted(Comparator.comparingDouble((TopicTerms.Topic t) -> -t.score())).limit(3).toList();
        List<String> mainTexts = pageTopics.stream().filter(main::contains).map(TopicTerms.Topic::text).toList();
        if (title == null) {
            title = mainTexts.isEmpty() ? "Quiz" : shorten(capitalise(join(mainTexts)), 80);
        }
        List<String> more = new ArrayList<>(); // further topics, none only repeating words already named
        List<String> named = new ArrayList<>(mainTexts);
        for (String k : sorted) {
            String d = display.get(k);
            if (more.size() < 4 && named.stream().noneMatch(n -> repeats(d, n))) {
                more.add(d);
                named.add(d);
            }
        }
        String description = mainTexts.isEmpty() ? "" : "Questions about " + join(mainTexts)
                + (more.isEmpty() ? "" : ", including " + join(more)) + ".";
        return new QuizMetadata(title, shorten(description, MAX_DESCRIPTION), topics);
    }

    /** The pages with text, or {@link #MAX_PAGES} of them evenly spread, in order. */
    private static List<String> sample(List<String> pageTexts) {
        List<String> withText = pageTexts.stream().filter(t -> t != null && !t.isBlank()).toList();
        if (withText.size() <= MAX_PAGES) {
            return withText;
        }
        List<String> out = new ArrayList<>(MAX_PAGES);
        for (int i = 0; i < MAX_PAGES; i++) {
            out.add(withText.get((int) ((long) i * withText.size() / MAX_PAGES)));
        }
        return out;
    }

    /** The first line of the first page with text when it is a heading (3-120 characters, not a sentence). */
    private static String heading(List<String> pageTexts) {
        String first = pageTexts.stream().filter(t -> t != null && !t.isBlank()).findFirst().orElse("");
        for (String line : first.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.length() >= 3 && l.length() <= 120 && !l.endsWith(".") && l.chars().filter(Character::isLetter)
                    .count() >= 3) {
                return l;
            }
            return null;
        }
        return null;
    }

    /** Whether every word of {@code topic} is already in {@code named} ("water" in "the water cycle"). */
    private static boolean repeats(String topic, String named) {
        List<String> words = List.of(named.toLowerCase(Locale.ROOT).split("\\s+"));
        for (String w : topic.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!w.equals("the") && !words.contains(w)) {
                return false;
            }
        }
        return true;
    }

    /** "a", "a and b", "a, b and c". */
    private static String join(List<String> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "" : items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int cut = s.lastIndexOf(' ', max - 1);
        return s.substring(0, cut > max / 2 ? cut : max - 1).strip() + "\u2026";
    }
}
