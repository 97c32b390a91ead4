/**
 * Seed 003's interview sessions on {@code /interview}: {@link dev.realtime.core.interview.InterviewGateway}
 * (sessions with presence, status history, idle cleanup and statistics; audio relay; transcription and answer
 * suggestions), the join rule {@link dev.realtime.core.interview.SessionAccess} over a
 * {@link dev.realtime.core.interview.SessionDirectory}, and the SPIs
 * {@link dev.realtime.core.interview.Transcriber} (offline {@link dev.realtime.core.interview.PocketsphinxTranscriber},
 * {@link dev.realtime.core.interview.GeminiTranscriber}) and {@link dev.realtime.core.interview.Suggester}
 * ({@link dev.realtime.core.interview.OfflineSuggester}, {@link dev.realtime.core.interview.GeminiSuggester}).
 * Written on the public application API only.
 */
package dev.realtime.core.interview;
