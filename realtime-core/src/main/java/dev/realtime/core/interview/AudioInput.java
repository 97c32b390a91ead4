package dev.realtime.core.interview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.realtime.core.Arguments;
import java.util.Base64;

/**
 * One {@code audio:stream} or {@code transcription:request} as it arrived, validated: seed 003's
 * {@code {audioData: base64, format, sampleRate}} (plus optional {@code sessionId}, {@code language},
 * {@code requestId}), the same object with {@code audioData} as a binary attachment, or a bare attachment
 * followed by that object without {@code audioData}.
 *
 * @param binary whether the audio came as a binary attachment
 * @param base64 the client's own base64 text when it is plain standard base64 (relayed as is), else null
 */
record AudioInput(String sessionId, byte[] bytes, String format, int sampleRate, String language, String requestId,
                  boolean binary, String base64) {

    /**
     * @throws InterviewException {@code bad_request} (no audio, bad base64, bad sample rate), {@code too_large}
     */
    static AudioInput parse(String event, Arguments args, int maxBytes) {
        JsonNode first = args.get(0);
        JsonNode meta = first.isObject() ? first : args.get(1);
        JsonNode data = first.isBinary() ? first : first.path("audioData");
        byte[] bytes;
        boolean binary;
        String plain = null;
        try {
            if (data.isBinary()) {
                bytes = data.binaryValue();
                binary = true;
            } else if (data.isTextual() && !data.asText().isEmpty()) {
                String b64 = data.asText();
                if ((long) b64.length() * 3 / 4 > maxBytes + 2L) {
                    throw tooLarge(event, maxBytes);
                }
                if (b64.startsWith("data:")) {
                    bytes = Base64.getMimeDecoder().decode(b64.substring(b64.indexOf(',') + 1));
                } else {
                    try {
                        bytes = Base64.getDecoder().decode(b64); // strict: then the text can be relayed unchanged
                        plain = b64;
                    } catch (IllegalArgumentException e) {
                        bytes = Base64.getMimeDecoder().decode(b64); // line breaks, as some encoders write
                    }
                }
                binary = false;
            } else {
                throw new InterviewException("bad_request", event + " needs audioData (base64 text or binary)");
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new InterviewException("bad_request", "audioData is not valid base64");
        }
        if (bytes.length == 0) {
            throw new InterviewException("bad_request", "audioData is empty");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(event, maxBytes);
        }
        JsonNode rate = meta.path("sampleRate");
        int sampleRate = 0;
        if (!rate.isMissingNode() && !rate.isNull()) {
            if (!rate.canConvertToInt() || rate.asInt() < 0 || rate.asInt() > 384_000) {
                throw new InterviewException("bad_request", "sampleRate must be 0..384000 Hz");
            }
            sampleRate = rate.asInt();
        }
        String format = text(meta, "format", 32);
        if (format != null && !format.matches("[A-Za-z0-9/.+-]{1,32}")) {
            throw new InterviewException("bad_request", "format must be a short name such as wav, pcm16 or webm");
        }
        return new AudioInput(text(meta, "sessionId", 200), bytes, format == null ? "webm" : format, sampleRate,
                text(meta, "language", 35), text(meta, "requestId", 100), binary, plain);
    }

    private static InterviewException tooLarge(String event, int maxBytes) {
        return new InterviewException("too_large", event + " chunks are limited to " + maxBytes + " bytes");
    }

    private static String text(JsonNode meta, String field, int max) {
        JsonNode n = meta.path(field);
        if (!n.isTextual() || n.asText().isBlank()) {
            return null;
        }
        String s = n.asText();
        if (s.length() > max) {
            throw new InterviewException("bad_request", field + " is longer than " + max + " characters");
        }
        return s;
    }

    AudioClip clip() {
        return new AudioClip(bytes, format, sampleRate, language);
    }
}
