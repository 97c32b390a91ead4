package dev.realtime.core.internal;

/**
 * UTF-8 length checks on Java strings without encoding them (the inbound frame-size limit of a text frame).
 *
 * <p>Stateless and thread-safe; static methods only, no allocation.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Whether the UTF-8 encoding of {@code text} is longer than {@code max} bytes, without encoding it. */
    static boolean lengthOver(String text, int max) {
        int n = text.length();
        if (n > max) {
            return true;
        }
        if ((long) n * 3 <= max) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                bytes++;
            } else if (ch < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(ch)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
            if (bytes > max) {
                return true;
            }
        }
        return false;
    }
}
