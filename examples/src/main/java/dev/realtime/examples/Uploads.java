package dev.realtime.examples;

import dev.realtime.core.ErrorCode;
import dev.realtime.core.RealtimeException;
import dev.realtime.jakarta.server.HttpRoute;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads an uploaded file from {@code POST /api/files}: either a raw body ({@code Content-Type: application/pdf},
 * name from {@code X-Filename}) or {@code multipart/form-data} with a field named {@code file}. Stateless.
 */
final class Uploads {
    /** The uploaded bytes and the client's file name. */
    record Upload(String filename, byte[] content) {
    }

    private Uploads() {
    }

    static Upload read(HttpRoute.Request request) {
        String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("multipart/form-data")) {
            return multipart(request.body(), boundary(request.header("Content-Type").orElseThrow()));
        }
        if (type.startsWith("application/pdf") || type.startsWith("application/octet-stream")) {
            if (request.body().length == 0) {
                throw new RealtimeException(ErrorCode.BAD_REQUEST, "empty upload");
            }
            return new Upload(request.header("X-Filename").orElse("upload.pdf"), request.body());
        }
        throw new RealtimeException(ErrorCode.BAD_REQUEST,
                "send multipart/form-data with a 'file' field, or the raw PDF as application/pdf");
    }

    private static String boundary(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        throw new RealtimeException(ErrorCode.BAD_REQUEST, "multipart upload without a boundary");
    }

    private static Upload multipart(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        while (pos >= 0) {
            int headersStart = pos + delimiter.length + 2; // CRLF after the delimiter
            if (headersStart > body.length) {
                break;
            }
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                break;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd + 4);
            if (next < 0) {
                break;
            }
            String disposition = headers.toLowerCase(Locale.ROOT);
            if (disposition.contains("name=\"file\"")) {
                String filename = "upload.pdf";
                int f = headers.indexOf("filename=\"");
                if (f >= 0) {
                    int end = headers.indexOf('"', f + 10);
                    if (end > f + 10) {
                        filename = headers.substring(f + 10, end);
                    }
                }
                return new Upload(filename, Arrays.copyOfRange(body, headersEnd + 4, next));
            }
            pos = next + 2;
        }
        throw new RealtimeException(ErrorCode.BAD_REQUEST, "no 'file' field in the multipart upload");
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
