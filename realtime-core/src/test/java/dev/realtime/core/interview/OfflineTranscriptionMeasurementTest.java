package dev.realtime.core.interview;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A measurement, not a test (excluded from {@code verify}; run with {@code -Dmeasure}): word accuracy
 * (1 - word error rate) of the offline transcriber (pocketsphinx 5prealpha, en-us model) on interview questions
 * spoken by espeak-ng ({@link Speech#VOICE} at {@link Speech#WORDS_PER_MINUTE} wpm), each sentence once. Prints
 * what was said and heard, per sentence and overall, and appends it to {@code target/interview-measurement.txt}.
 */
@Tag("measurement")
@Timeout(300)
class OfflineTranscriptionMeasurementTest {
    static final List<String> SENTENCES = List.of(
            "what is your greatest strength",
            "tell me about yourself",
            "why do you want to work here",
            "describe a difficult problem you solved",
            "where do you see yourself in five years",
            "how do you handle a conflict in your team",
            "what did you learn from your last project",
            "do you have any questions for us");

    @Test
    void wordAccuracyOnSpokenInterviewQuestions() throws Exception {
        assumeTrue(Speech.canSpeak() && Speech.canTranscribe(), "espeak-ng or pocketsphinx not installed");
        Transcriber offline = PocketsphinxTranscriber.detect();
        StringBuilder report = new StringBuilder("offline transcription (" + Speech.VOICE + ", "
                + Speech.WORDS_PER_MINUTE + " wpm):\n");
        int words = 0;
        double weighted = 0;
        for (String said : SENTENCES) {
            String heard = offline.transcribe(new AudioClip(Speech.say(said), "wav", 0, "en-US"), s -> { }).text();
            double acc = Speech.accuracy(said, heard);
            int n = Speech.words(said).size();
            words += n;
            weighted += acc * n;
            report.append(String.format("  %.2f  said \"%s\" -> heard \"%s\"%n", acc, said, heard));
        }
        report.append(String.format("  word accuracy %.2f over %d words (%d sentences)%n", weighted / words, words,
                SENTENCES.size()));
        System.out.print(report);
        Files.writeString(Path.of("target/interview-measurement.txt"), report, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
