package dev.realtime.core.llm;

/** Masks API keys for logs and statistics: never more than the first 4 and last 4 characters. */
final class KeyMask {
    private KeyMask() {
    }

    static String mask(String key) {
        if (key == null) {
            return "null";
        }
        int n = key.length();
        if (n <= 8) {
            return "****" + (n > 4 ? key.substring(n - 2) : "");
        }
        if (n <= 16) {
            return key.substring(0, 2) + "****" + key.substring(n - 2);
        }
        return key.substring(0, 4) + "****" + key.substring(n - 4);
    }
}
