package dev.realtime.core.interview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The offline transcriber on real speech: WAVs spoken by espeak-ng in the test (22,050 Hz, resampled in Java to
 * the model's 16 kHz), transcribed by Debian's pocketsphinx with its en-us model, asserting on the words that came
 * back. Runs where the tools are installed ({@code .ci/run} installs them); skipped by assumption otherwise.
 */
@Timeout(120)
class PocketsphinxTranscriberTest {
    static final String SENTENCE = "what is your greatest strength";

    @Test
    void transcribesASpokenQuestion() throws Exception {
        assumeTrue(Speech.canSpeak() && Speech.canTranscribe(), "espeak-ng or pocketsphinx not installed");
        byte[] wav = Speech.say(SENTENCE);
        List<String> partials = new ArrayList<>();
        Transcript t = PocketsphinxTranscriber.detect().transcribe(new AudioClip(wav, "wav", 0, "en-US"),
                partials::add);
        System.out.printf("said \"%s\", heard \"%s\" (accuracy %.2f)%n", SENTENCE, t.text(),
                Speech.accuracy(SENTENCE, t.text()));
        assertEquals("pocketsphinx", t.transcriber());
        Set<String> recalled = Speech.recalled(SENTENCE, t.text());
        assertTrue(recalled.containsAll(Set.of("what", "your")) && recalled.size() >= 3,
                "heard \"" + t.text() + "\" for \"" + SENTENCE + "\"");
    }

    @Test
    void aLongClipGivesPartialResultsPerUtteranceThenTheFinalText() throws Exception {
        assumeTrue(Speech.canSpeak() && Speech.canTranscribe(), "espeak-ng or pocketsphinx not installed");
        byte[] wav = Speech.say("<speak>" + SENTENCE + "<break time=\"2s\"/>" + SENTENCE + "</speak>");
        List<String> partials = new ArrayList<>();
        Transcript t = PocketsphinxTranscriber.detect().transcribe(new AudioClip(wav, "wav", 0, null),
                partials::add);
        System.out.printf("partials %s, final \"%s\"%n", partials, t.text());
        assertEquals(1, partials.size(), "one partial after the first utterance: " + partials);
        assertTrue(t.text().startsWith(partials.get(0)), t.text());
        assertTrue(t.text().length() > partials.get(0).length());
        assertTrue(Speech.recalled(SENTENCE, partials.get(0)).size() >= 3, partials.toString());
    }

    @Test
    void rawPcmAtAnotherRateIsResampled() throws Exception {
        assumeTrue(Speech.canSpeak() && Speech.canTranscribe(), "espeak-ng or pocketsphinx not installed");
        Pcm pcm = Pcm.decode(new AudioClip(Speech.say(SENTENCE), "wav", 0, null)).resample(44_100);
        byte[] raw = new byte[pcm.samples().length * 2];
        for (int i = 0; i < pcm.samples().length; i++) {
            raw[2 * i] = (byte) pcm.samples()[i];
            raw[2 * i + 1] = (byte) (pcm.samples()[i] >> 8);
        }
        Transcript t = PocketsphinxTranscriber.detect().transcribe(new AudioClip(raw, "pcm16", 44_100, null),
                s -> { });
        assertTrue(Speech.recalled(SENTENCE, t.text()).size() >= 3, t.text());
    }

    @Test
    void refusesCompressedFormatsAndTimesOut() throws Exception {
        assumeTrue(Speech.canSpeak() && Speech.canTranscribe(), "espeak-ng or pocketsphinx not installed");
        InterviewException webm = assertThrows(InterviewException.class, () -> PocketsphinxTranscriber.detect()
                .transcribe(new AudioClip(new byte[] {1, 2, 3}, "webm", 48_000, null), s -> { }));
        assertEquals("unsupported_format", webm.reason());
        Path cmd = PocketsphinxTranscriber.findCommand().orElseThrow();
        Transcriber impatient = PocketsphinxTranscriber.builder(cmd).timeout(Duration.ofMillis(1)).build();
        byte[] wav = Speech.say(SENTENCE + " " + SENTENCE + " " + SENTENCE);
        InterviewException slow = assertThrows(InterviewException.class,
                () -> impatient.transcribe(new AudioClip(wav, "wav", 0, null), s -> { }));
        assertEquals("timeout", slow.reason());
    }

    @Test
    void withoutTheCommandItIsUnavailableAndSaysHowToEnableIt() {
        Transcriber none = Transcriber.unavailable(PocketsphinxTranscriber.HOW_TO_ENABLE);
        InterviewException e = assertThrows(InterviewException.class,
                () -> none.transcribe(new AudioClip(new byte[2], "wav", 0, null), s -> { }));
        assertEquals("unavailable", e.reason());
        assertTrue(e.getMessage().contains("apt-get install pocketsphinx pocketsphinx-en-us"), e.getMessage());
    }
}
