package dev.realtime.examples;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.interview.GeminiSuggester;
import dev.realtime.core.interview.GeminiTranscriber;
import dev.realtime.core.interview.InterviewGateway;
import dev.realtime.core.interview.OfflineSuggester;
import dev.realtime.core.interview.PocketsphinxTranscriber;
import dev.realtime.core.interview.SessionAccess;
import dev.realtime.core.interview.SessionDirectory;
import dev.realtime.core.interview.Suggester;
import dev.realtime.core.interview.Transcriber;
import dev.realtime.core.llm.GeminiKeyRotatingClient;
import dev.realtime.jakarta.server.ServerOptions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example server's interview gateway from its options: the join rule ({@code --interview-access any} lets
 * every authenticated user join any session; {@code claim:NAME} only the sessions the token's claim lists), and
 * the transcriber (offline pocketsphinx by default; {@code --interview-transcriber gemini} with Gemini keys).
 * Suggestions come from Gemini with the offline fallback when keys are configured, else offline.
 */
final class InterviewSetup {
    private static final Logger log = LoggerFactory.getLogger(InterviewSetup.class);

    private InterviewSetup() {
    }

    static SessionAccess access(ServerOptions options) {
        String rule = options.value("interview-access").orElse("any");
        if (rule.equals("any")) {
            return SessionAccess.of(SessionDirectory.anyAuthenticatedUser());
        }
        if (rule.startsWith("claim:") && rule.length() > "claim:".length()) {
            return SessionAccess.of(SessionDirectory.fromClaim(rule.substring("claim:".length())));
        }
        throw new IllegalArgumentException("--interview-access must be 'any' or 'claim:NAME': " + rule);
    }

    static InterviewGateway gateway(RealtimeHub hub, SessionAccess access, ServerOptions options,
                                    Optional<GeminiKeyRotatingClient> gemini) {
        String which = options.value("interview-transcriber").orElse("offline");
        Transcriber transcriber;
        if (which.equals("gemini")) {
            transcriber = gemini.<Transcriber>map(GeminiTranscriber::new).orElseThrow(() ->
                    new IllegalArgumentException("--interview-transcriber gemini needs Gemini keys (--gemini-keys)"));
        } else if (which.equals("offline")) {
            transcriber = PocketsphinxTranscriber.detect();
        } else {
            throw new IllegalArgumentException("--interview-transcriber must be 'offline' or 'gemini': " + which);
        }
        transcriber.unavailableReason().ifPresentOrElse(
                why -> log.warn("interview transcription unavailable: {}", why),
                () -> log.info("interview transcription: {}", transcriber.name()));
        Suggester suggester = gemini.<Suggester>map(g -> Suggester.withFallback(new GeminiSuggester(g, hub.mapper()),
                new OfflineSuggester())).orElseGet(OfflineSuggester::new);
        return InterviewGateway.builder(hub).access(access).transcriber(transcriber).suggester(suggester).build();
    }
}
