package dev.realtime.core.interview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.realtime.core.Arguments;
import dev.realtime.core.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pieces under the interview gateway: payload parsing and limits, PCM, directories, offline suggestions. */
class InterviewPartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Arguments args(Object... values) {
        ArrayNode a = JSON.createArrayNode();
        for (Object v : values) {
            a.add(JSON.valueToTree(v));
        }
        return Arguments.of(a, JSON);
    }

    @Test
    void audioPayloadsParseInEveryShapeAndLimitsHold() {
        byte[] bytes = {1, 2, 3, 4};
        String b64 = Base64.getEncoder().encodeToString(bytes);
        AudioInput text = AudioInput.parse("audio:stream", args(Map.of("audioData", b64, "format", "pcm16",
                "sampleRate", 16000, "sessionId", "s1")), 100);
        assertArrayEquals(bytes, text.bytes());
        assertEquals("s1", text.sessionId());
        assertFalse(text.binary());
        AudioInput dataUrl = AudioInput.parse("audio:stream", args(Map.of("audioData", "data:audio/webm;base64," + b64)),
                100);
        assertArrayEquals(bytes, dataUrl.bytes());
        assertEquals("webm", dataUrl.format(), "seed 003's default format");
        AudioInput bare = AudioInput.parse("audio:stream", args(bytes, Map.of("format", "wav")), 100);
        assertTrue(bare.binary());
        assertEquals("wav", bare.format());
        assertEquals("too_large", assertThrows(InterviewException.class, () -> AudioInput.parse("audio:stream",
                args(Map.of("audioData", Base64.getEncoder().encodeToString(new byte[200]))), 100)).reason());
        assertEquals("too_large", assertThrows(InterviewException.class,
                () -> AudioInput.parse("audio:stream", args(new byte[101]), 100)).reason());
        for (Object bad : List.of(Map.of(), Map.of("audioData", "***"), Map.of("audioData", b64, "sampleRate", -1),
                Map.of("audioData", b64, "format", "we bm"), Map.of("audioData", ""))) {
            assertEquals("bad_request", assertThrows(InterviewException.class,
                    () -> AudioInput.parse("audio:stream", args(bad), 100)).reason(), bad.toString());
        }
    }

    @Test
    void pcmDecodesResamplesAndWritesWav() {
        short[] tone = new short[22_050];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 22_050.0));
        }
        Pcm in = new Pcm(tone, 22_050);
        Pcm out = Pcm.decode(new AudioClip(in.toWav(), "wav", 0, null)).resample(16_000);
        assertEquals(16_000, out.rate());
        assertEquals(16_000, out.samples().length, 2);
        double energyIn = 0;
        double energyOut = 0;
        for (short s : tone) {
            energyIn += s * (double) s;
        }
        for (short s : out.samples()) {
            energyOut += s * (double) s;
        }
        // a 440 Hz tone passes the low-pass: the power per sample stays within 5 %
        assertEquals(energyIn / tone.length, energyOut / out.samples().length, 0.05 * energyIn / tone.length);
        assertEquals("unsupported_format", assertThrows(InterviewException.class,
                () -> Pcm.decode(new AudioClip(new byte[] {1, 2, 3}, "wav", 0, null))).reason());
        assertEquals("bad_request", assertThrows(InterviewException.class,
                () -> Pcm.decode(new AudioClip(new byte[] {1, 2}, "pcm16", 0, null))).reason());
    }

    @Test
    void directoriesAndTheAccessRule() {
        Principal ann = new Principal("ann", Set.of(), null, Map.of("sessions", List.of("s1")));
        Principal root = new Principal("root", Set.of("admin"), null, Map.of());
        InMemorySessionDirectory mem = SessionDirectory.inMemory().add("s1", "ann");
        assertTrue(mem.isParticipant("s1", ann));
        assertFalse(mem.isParticipant("s2", ann));
        mem.remove("s1", "ann");
        assertFalse(mem.isParticipant("s1", ann));
        assertTrue(SessionDirectory.fromClaim("sessions").isParticipant("s1", ann));
        assertFalse(SessionDirectory.fromClaim("sessions").isParticipant("s2", ann));
        assertTrue(SessionDirectory.anyAuthenticatedUser().isParticipant("x", ann));
        SessionAccess access = SessionAccess.of(mem);
        assertTrue(access.mayJoin(java.util.Optional.of(root), "s9", true), "admins join every session");
        assertFalse(access.mayJoin(java.util.Optional.of(ann), "s1", true));
        assertFalse(access.mayJoin(java.util.Optional.empty(), "s1", true), "no token on a secured hub");
        assertTrue(access.mayJoin(java.util.Optional.empty(), "s1", false), "development mode");
    }

    @Test
    void offlineSuggestionsFollowTheKindOfQuestion() {
        OfflineSuggester s = new OfflineSuggester();
        assertTrue(s.suggest("s", "what is your greatest weakness").items().get(0).contains("weakness"));
        assertTrue(s.suggest("s", "tell me about a conflict with a colleague").items().get(0).contains("STAR"));
        assertTrue(s.suggest("s", "what is your experience with kubernetes").items().get(0)
                .contains("kubernetes"));
        assertTrue(s.suggest("s", "  ").items().isEmpty());
        assertEquals("offline", s.suggest("s", "hello").source());
        Suggester failing = new Suggester() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Suggestions suggest(String sessionId, String transcript) {
                throw new InterviewException("failed", "down");
            }
        };
        assertEquals("offline", Suggester.withFallback(failing, s).suggest("s", "why this job").source());
    }

    @Test
    void wordAccuracyIsOneMinusTheWordErrorRate() {
        assertEquals(1.0, Speech.accuracy("tell me about yourself", "Tell me about yourself."));
        assertEquals(0.75, Speech.accuracy("tell me about yourself", "tell me about you're self"), 0.26);
        assertEquals(0.0, Speech.accuracy("a b", "c d e f"));
    }
}
