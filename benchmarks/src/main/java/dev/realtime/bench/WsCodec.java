package dev.realtime.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * RFC 6455 pieces for {@link NioConn}: the HTTP/1.1 upgrade request and its {@code Sec-WebSocket-Accept} check,
 * masked client frames, and byte scans over a region of a {@link ByteBuffer} (absolute indexes, the buffer's
 * position and limit untouched) so that an event is never decoded to a String. Stateless and thread-safe.
 */
final class WsCodec {
    static final int OP_CONTINUATION = 0x0;
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private WsCodec() {
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64. */
    static String newKey() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key}. */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The upgrade request for {@code ws://127.0.0.1:port/path}. */
    static ByteBuffer upgradeRequest(int port, String path, String key) {
        String req = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        return ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Checks the upgrade response head (status line and headers, without the blank line).
     *
     * @return null when it is a valid 101 for {@code key}, else why not
     */
    static String checkUpgrade(String head, String key) {
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 101")) {
            return "handshake refused: " + lines[0];
        }
        String want = accept(key);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = colon > 0 ? lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
            if (name.equals("sec-websocket-accept")) {
                String got = lines[i].substring(colon + 1).trim();
                return got.equals(want) ? null : "handshake: Sec-WebSocket-Accept " + got + ", expected " + want;
            }
        }
        return "handshake: no Sec-WebSocket-Accept in " + lines[0];
    }

    /** One final client frame (FIN set), masked with a random key as RFC 6455 requires of clients. */
    static ByteBuffer frame(int opcode, byte[] payload) {
        int len = payload.length;
        int header = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
        ByteBuffer b = ByteBuffer.allocate(header + 4 + len);
        b.put((byte) (0x80 | opcode));
        if (len < 126) {
            b.put((byte) (0x80 | len));
        } else if (len <= 0xFFFF) {
            b.put((byte) (0x80 | 126)).putShort((short) len);
        } else {
            b.put((byte) (0x80 | 127)).putLong(len);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        b.putInt(mask);
        for (int i = 0; i < len; i++) {
            b.put((byte) (payload[i] ^ (mask >>> (24 - 8 * (i & 3)))));
        }
        return b.flip();
    }

    /** Whether {@code b[off, off + len)} starts with {@code prefix}. */
    static boolean startsWith(ByteBuffer b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(off + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[off, off + len)} is exactly {@code s}. */
    static boolean equals(ByteBuffer b, int off, int len, byte[] s) {
        return len == s.length && startsWith(b, off, len, s);
    }

    /** The absolute index of the first {@code needle} in {@code b[off, off + len)}, or -1. */
    static int indexOf(ByteBuffer b, int off, int len, byte[] needle) {
        int last = off + len - needle.length;
        for (int i = off; i <= last; i++) {
            if (matchesAt(b, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** The absolute index of the last {@code needle} in {@code b[off, off + len)}, or -1 (scans from the end). */
    static int lastIndexOf(ByteBuffer b, int off, int len, byte[] needle) {
        for (int i = off + len - needle.length; i >= off; i--) {
            if (matchesAt(b, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesAt(ByteBuffer b, int at, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (b.get(at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** The unsigned decimal number of ASCII digits at {@code b[from, end)}, up to the first non-digit (0 if none). */
    static long number(ByteBuffer b, int from, int end) {
        long v = 0;
        for (int i = from; i < end; i++) {
            int ch = b.get(i);
            if (ch < '0' || ch > '9') {
                break;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** {@code b[off, off + len)} as UTF-8 (for error messages and the handshake head only). */
    static String string(ByteBuffer b, int off, int len) {
        byte[] a = new byte[len];
        b.get(off, a);
        return new String(a, StandardCharsets.UTF_8);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
