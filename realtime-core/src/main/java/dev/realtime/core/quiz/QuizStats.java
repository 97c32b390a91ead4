package dev.realtime.core.quiz;

/**
 * The {@code stats} of {@code quiz-complete} (seed 000).
 *
 * @param totalPages     pages in the PDF
 * @param pagesProcessed pages that went through question generation without failing (not skipped, no
 *                       {@code page-error})
 * @param totalQuestions questions in the quiz
 * @param generatedAt    ISO-8601 instant
 * @since 0.1
 */
public record QuizStats(int totalPages, int pagesProcessed, int totalQuestions, String generatedAt) {
}
