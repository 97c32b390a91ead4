package dev.realtime.core.quiz;

import java.util.List;

/**
 * One page's outcome in a {@link QuizRun}, released to the client in page order.
 *
 * @param status {@code processed}, {@code skipped} or {@code failed}
 */
record PageResult(int page, String status, List<QuizQuestion> questions, String warning, String errorMessage,
                  String errorCode, List<String> imageUrls) {

    static PageResult skipped(int page) {
        return new PageResult(page, "skipped", List.of(), null, null, null, List.of());
    }

    static PageResult failed(int page, String warning, String errorMessage, String errorCode,
                             List<String> imageUrls) {
        return new PageResult(page, "failed", List.of(), warning, errorMessage, errorCode, imageUrls);
    }
}
