package dev.realtime.core.quiz;

import java.util.ArrayList;
import java.util.List;

/**
 * The pages of one {@link QuizRun} once its text is extracted: which page a worker claims next, and the outcomes,
 * released to the client strictly in page order ({@code page-skipped}, {@code page-error},
 * {@code question-generated} ..., {@code page-warning}, then progress) however the workers finish. Not
 * thread-safe: guarded by the run's lock, except {@link #text} and {@link #preset}, fixed from the start.
 */
final class PageOutcomes {
    private final RunEvents events;
    /** Page texts, 1-based. */
    private final String[] texts;
    /** Pages whose text could not be extracted, released as page-error; 1-based. */
    private final PageResult[] preset;
    private final PageResult[] results;
    private final List<QuizQuestion> questions = new ArrayList<>();
    private int nextPage = 1;
    private int nextRelease = 1;
    private int pagesReleased;
    private int pagesProcessed;

    PageOutcomes(RunEvents events, String[] texts, PageResult[] preset) {
        this.events = events;
        this.texts = texts;
        this.preset = preset;
        this.results = new PageResult[texts.length];
    }

    int total() {
        return results.length - 1;
    }

    /** The next page to work on, or -1 when every page is claimed. */
    int claim() {
        return nextPage < results.length ? nextPage++ : -1;
    }

    String text(int page) {
        return texts[page];
    }

    /** The failure found while extracting the page's text, or null. */
    PageResult preset(int page) {
        return preset[page];
    }

    /** Records a page's outcome and sends every consecutive finished page, in order. */
    void release(PageResult r) {
        results[r.page()] = r;
        while (nextRelease < results.length && results[nextRelease] != null) {
            send(results[nextRelease]);
            nextRelease++;
        }
    }

    /** Percent of the pages released so far. */
    int progress() {
        return pagesReleased == 0 ? 0 : (int) ((long) pagesReleased * 100 / total());
    }

    int pagesProcessed() {
        return pagesProcessed;
    }

    /** The questions released so far, in page order. */
    List<QuizQuestion> questions() {
        return List.copyOf(questions);
    }

    /** Every page's text, in order (empty for none). */
    List<String> texts() {
        List<String> out = new ArrayList<>(texts.length);
        for (int i = 1; i < texts.length; i++) {
            out.add(texts[i] == null ? "" : texts[i]);
        }
        return out;
    }

    /** What the quiz keeps of each page: its outcome, text (processed pages only) and images. */
    List<SourcePage> sources() {
        List<SourcePage> sources = new ArrayList<>();
        for (int i = 1; i < results.length; i++) {
            PageResult r = results[i];
            boolean ok = r != null && "processed".equals(r.status());
            sources.add(new SourcePage(i, r == null ? "failed" : r.status(), ok ? texts[i] : "",
                    r == null ? List.of() : r.imageUrls()));
        }
        return sources;
    }

    private void send(PageResult r) {
        int page = r.page();
        int total = total();
        switch (r.status()) {
            case "skipped" -> events.event("page-skipped", events.data("Page " + page + " has too little text; skipped")
                    .with("currentPage", page).with("totalPages", total).with("reason", "insufficient_text"));
            case "failed" -> events.event("page-error", events.data(r.errorMessage()).with("currentPage", page)
                    .with("totalPages", total).with("error", r.errorCode()));
            default -> {
                pagesProcessed++;
                for (QuizQuestion q : r.questions()) {
                    questions.add(q);
                    events.event("question-generated", events.data("Question " + questions.size()
                            + " generated from page " + page).with("question", q)
                            .with("questionIndex", questions.size() - 1).with("totalQuestions", questions.size())
                            .with("currentPage", page).with("totalPages", total));
                }
            }
        }
        if (r.warning() != null) {
            events.event("page-warning", events.data(r.warning()).with("currentPage", page)
                    .with("totalPages", total));
        }
        pagesReleased++;
        int progress = (int) ((long) pagesReleased * 100 / total);
        String message = "Processed page " + page + " of " + total;
        events.jobProgress(Math.min(progress, 99), message);
        events.status("processing", Math.min(progress, 99), message);
    }
}
