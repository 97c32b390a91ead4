package dev.realtime.core.quiz;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one page of a {@link QuizRun} into its {@link PageResult}: skips pages with too little text, saves the
 * page's images when asked to, and has the generator write the questions (with retries). Stateless apart from
 * the run it serves; called by the run's page workers, several pages at a time.
 */
final class PageProcessor {
    private static final Logger log = LoggerFactory.getLogger(QuizRun.class);

    private final QuizPipeline p;
    private final RunDocument document;
    private final QuizOptions options;
    private final String quizId;
    /** True once the run must stop (cancelled, client gone, interrupted); may cancel the run as it checks. */
    private final BooleanSupplier shouldStop;

    PageProcessor(QuizPipeline pipeline, RunDocument document, QuizOptions options, String quizId,
            BooleanSupplier shouldStop) {
        this.p = pipeline;
        this.document = document;
        this.options = options;
        this.quizId = quizId;
        this.shouldStop = shouldStop;
    }

    /**
     * The outcome of {@code page}, whose extracted text is {@code text}.
     *
     * @throws QuizRun.Stopped when the run stopped meanwhile
     */
    PageResult process(int page, String text) {
        if (text == null || text.strip().length() < p.minPageChars) {
            return PageResult.skipped(page);
        }
        List<String> imageUrls = List.of();
        String warning = null;
        if (options.generateImages()) {
            try {
                imageUrls = document.storeImages(page);
            } catch (QuizException e) {
                warning = "Page images could not be extracted: " + e.getMessage();
            }
        }
        if (shouldStop.getAsBoolean()) {
            throw new QuizRun.Stopped();
        }
        QuestionRequest request = new QuestionRequest(text, options.questionsPerPage(), options.difficulty(),
                options.includeExplanations(), options.language(), null);
        List<Question> generated;
        try {
            generated = p.retries.call(() -> p.generator.generate(request), shouldStop);
        } catch (QuizRun.Stopped e) {
            throw e;
        } catch (RuntimeException e) {
            if (shouldStop.getAsBoolean()) {
                throw new QuizRun.Stopped();
            }
            String code = e instanceof RealtimeException re ? re.code().wire() : ErrorCode.INTERNAL.wire();
            String msg = e instanceof RealtimeException && e.getMessage() != null ? e.getMessage()
                    : "question generation failed";
            log.warn("quiz {} page {} failed after retries: {}", quizId, page, e.toString());
            return PageResult.failed(page, warning, msg, code, imageUrls);
        }
        String imageUrl = imageUrls.isEmpty() ? null : imageUrls.get(0);
        List<QuizQuestion> qs = new ArrayList<>(generated.size());
        for (Question q : generated) {
            qs.add(QuizQuestion.of(p.newId(), page, q, imageUrl));
        }
        if (qs.isEmpty()) {
            warning = "No questions could be generated from page " + page;
        } else if (qs.size() < options.questionsPerPage()) {
            warning = "Only " + qs.size() + " of " + options.questionsPerPage() + " questions could be generated"
                    + " from page " + page;
        }
        return new PageResult(page, "processed", List.copyOf(qs), warning, null, null, imageUrls);
    }
}
