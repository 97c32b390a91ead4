package dev.realtime.core.interview;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Real speech for tests: WAV files spoken by Debian's {@code espeak-ng} (22,050 Hz mono 16-bit), and word
 * accuracy of a transcript against what was said.
 */
public final class Speech {
    /** The voice and rate the tests speak with (a male US voice at 130 words per minute). */
    public static final String VOICE = "en-us+m1";
    public static final int WORDS_PER_MINUTE = 130;

    private Speech() {
    }

    /** Whether espeak-ng is on the PATH. */
    public static boolean canSpeak() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "espeak-ng"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the offline transcriber can run here (command and model installed). */
    public static boolean canTranscribe() {
        return PocketsphinxTranscriber.detect().unavailableReason().isEmpty();
    }

    /** A WAV of {@code text} spoken by espeak-ng; SSML when it starts with {@code <speak>}. */
    public static byte[] say(String text) throws IOException, InterruptedException {
        Path wav = Files.createTempFile("speech-", ".wav");
        try {
            List<String> cmd = new ArrayList<>(List.of("espeak-ng", "-v", VOICE, "-s",
                    String.valueOf(WORDS_PER_MINUTE), "-w", wav.toString()));
            if (text.startsWith("<speak>")) {
                cmd.add("-m");
            }
            cmd.add(text);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("espeak-ng failed");
            }
            return Files.readAllBytes(wav);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** The lower-case words of a text. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9']+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Word accuracy: 1 - (word edit distance / words said), floored at 0 (the usual 1 - WER of speech
     * recognition).
     */
    public static double accuracy(String said, String heard) {
        List<String> a = words(said);
        List<String> b = words(heard);
        int[][] d = new int[a.size() + 1][b.size() + 1];
        for (int i = 0; i <= a.size(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.size(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                int sub = d[i - 1][j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
            }
        }
        return Math.max(0, 1 - (double) d[a.size()][b.size()] / a.size());
    }

    /** The words of {@code said} that appear in {@code heard}. */
    public static Set<String> recalled(String said, String heard) {
        Set<String> h = new LinkedHashSet<>(words(heard));
        Set<String> out = new LinkedHashSet<>();
        for (String w : words(said)) {
            if (h.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
