package dev.realtime.jakarta.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Canonical request paths: what every route and every admission decision of the standalone server compares.
 * A raw path is percent-decoded as strict UTF-8 (overlong forms such as {@code %c0%af} are invalid), path
 * parameters ({@code ;x=1}) are removed from every segment, empty and {@code .} segments dropped and {@code ..}
 * resolved. NUL and other control characters, a backslash, an encoded slash ({@code %2f}) and a {@code ..}
 * above the root make the path malformed. Stateless.
 */
final class RequestPaths {
    private RequestPaths() {
    }

    /** A path that cannot be served: answered with 400 {@code bad_request}. */
    static final class MalformedPathException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedPathException(String message) {
            super(message);
        }
    }

    /**
     * The canonical form of a raw (undecoded) request path, without query.
     *
     * @throws MalformedPathException when the path is malformed (see the class comment)
     */
    static String canonical(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            throw new MalformedPathException("a request path must start with '/'");
        }
        if (raw.length() > 2048) {
            throw new MalformedPathException("request path longer than 2048 characters");
        }
        return isCanonical(raw) ? raw : normalize(raw); // a poll's path is canonical: no segment list, no copy
    }

    /** The segment-by-segment form of {@link #canonical}, for a path that starts with '/'. */
    static String normalize(String raw) {
        Deque<String> out = new ArrayDeque<>();
        int i = 1;
        while (i <= raw.length()) {
            int slash = raw.indexOf('/', i);
            int end = slash < 0 ? raw.length() : slash;
            String segment = raw.substring(i, end);
            int semi = segment.indexOf(';');
            if (semi >= 0) {
                segment = segment.substring(0, semi);
            }
            String decoded = decode(segment);
            if (decoded.equals("..")) {
                if (out.isEmpty()) {
                    throw new MalformedPathException("'..' above the root");
                }
                out.removeLast();
            } else if (!decoded.isEmpty() && !decoded.equals(".")) {
                out.addLast(decoded);
            }
            i = end + 1;
        }
        boolean trailingSlash = raw.length() > 1 && raw.endsWith("/");
        StringBuilder sb = new StringBuilder(raw.length());
        for (String s : out) {
            sb.append('/').append(s);
        }
        if (sb.length() == 0 || trailingSlash) {
            sb.append('/');
        }
        return sb.toString();
    }

    /**
     * Whether the loop of {@link #canonical} would give {@code raw} back: printable ASCII only, nothing to decode
     * (no {@code %}), no parameters ({@code ;}), no {@code \\}, and no empty, {@code .} or {@code ..} segment but a
     * trailing slash's.
     */
    static boolean isCanonical(String raw) {
        int segmentStart = 1;
        int n = raw.length();
        for (int i = 1; i <= n; i++) {
            char c = i < n ? raw.charAt(i) : '/';
            if (c == '/') {
                int length = i - segmentStart;
                if (length == 0 && i < n) {
                    return false; // an empty segment before another one
                }
                if (length == 1 && raw.charAt(segmentStart) == '.' || length == 2 && raw.startsWith("..", segmentStart)) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (c < 0x20 || c >= 0x7f || c == '%' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code canonical} names {@code target} (case-insensitive, trailing slash optional). */
    static boolean sameRoute(String canonical, String target) {
        return strip(canonical).equalsIgnoreCase(strip(target));
    }

    private static String strip(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String decode(String segment) {
        if (segment.chars().allMatch(c -> c != '%' && c < 0x80)) {
            check(segment);
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new MalformedPathException("truncated percent-escape");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedPathException("invalid percent-escape");
                }
                int b = hi << 4 | lo;
                if (b == '/' || b == '\\') {
                    throw new MalformedPathException("encoded '/' or '\\' in a path segment");
                }
                bytes.write(b);
                i += 2;
            } else if (c > 0xff) {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(enc, 0, enc.length);
            } else {
                // the container hands raw bytes over as ISO-8859-1 characters
                bytes.write(c);
            }
        }
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPathException("path is not valid UTF-8");
        }
        check(s);
        return s;
    }

    private static void check(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new MalformedPathException("control character or '\\' in the path");
            }
        }
    }
}
