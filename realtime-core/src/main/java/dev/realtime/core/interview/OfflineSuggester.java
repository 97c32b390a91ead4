package dev.realtime.core.interview;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Offline answer suggestions, no key: recognizes the common kinds of interview questions in the transcript
 * (experience, strengths, weaknesses, a conflict or a failure, motivation, a technical "how/what is") and returns
 * answer outlines for that kind, naming the topic words of the question. Deterministic and stateless;
 * thread-safe.
 *
 * @since 0.2
 */
public final class OfflineSuggester implements Suggester {
    private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "for",
            "with", "about", "me", "you", "your", "yours", "i", "we", "is", "are", "was", "were", "be", "do", "does",
            "did", "what", "how", "why", "when", "where", "which", "who", "tell", "can", "could", "would", "describe",
            "time", "that", "this", "it", "have", "has", "had", "my", "our", "give", "example", "please", "so", "us");

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public Suggestions suggest(String sessionId, String transcript) {
        String t = transcript == null ? "" : transcript.toLowerCase(Locale.ROOT);
        if (t.isBlank()) {
            return new Suggestions(List.of(), name());
        }
        String topic = topic(t);
        List<String> out = new ArrayList<>();
        if (t.contains("weakness")) {
            out.add("Name a real weakness that does not block the role, e.g. delegating too little.");
            out.add("Say what you do about it and the progress you made, with one concrete example.");
        } else if (t.contains("strength") || t.contains("good at")) {
            out.add("Pick one or two strengths that matter for this role and prove each with a result.");
            out.add("Connect them to what the team needs" + (topic.isEmpty() ? "." : ": " + topic + "."));
        } else if (t.contains("conflict") || t.contains("disagree") || t.contains("fail") || t.contains("mistake")
                || t.contains("challenge") || t.contains("difficult")) {
            out.add("Answer with STAR: the Situation, your Task, the Actions you took, the Result.");
            out.add("Own your part, stay factual about others, and end with what you learned.");
        } else if (t.contains("why") && (t.contains("company") || t.contains("role") || t.contains("job")
                || t.contains("here") || t.contains("us"))) {
            out.add("Link the company's product or mission to something you have done or care about.");
            out.add("Say what you would bring in the first months, not only what you would gain.");
        } else if (t.contains("experience") || t.contains("worked") || t.contains("background")
                || t.contains("yourself")) {
            out.add("Summarize your relevant experience" + (topic.isEmpty() ? "" : " with " + topic)
                    + " in two sentences: years, scope, impact.");
            out.add("Give one project as proof: the problem, your part, a measurable result.");
        } else {
            out.add(topic.isEmpty() ? "Restate the question briefly, then answer it directly."
                    : "Start with a one-sentence definition or answer about " + topic + ".");
            out.add("Add a concrete example from your own work, then the trade-offs you weighed.");
        }
        out.add("Keep it under two minutes and ask whether they want more detail.");
        return new Suggestions(out, name());
    }

    /** The question's content words, in order, at most four. */
    private static String topic(String t) {
        Set<String> words = new LinkedHashSet<>();
        for (String w : t.split("[^\\p{L}\\p{N}+#.-]+")) {
            String x = w.replaceAll("^[.-]+|[.-]+$", "");
            if (x.length() > 2 && !STOP.contains(x)) {
                words.add(x);
            }
            if (words.size() == 4) {
                break;
            }
        }
        return String.join(", ", words);
    }
}
