package dev.realtime.jakarta.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts a poll takes through the standalone server's request handling give what the full forms give:
 * {@link RequestPaths#canonical} returns a canonical path as it is, and
 * {@link HandshakeAdmissionFilter#queryParam} reads one parameter as the parsed query map has it. Both are checked
 * on fixed cases and on 20,000 generated inputs each, built from the characters that matter to them.
 */
class PollShortcutsTest {

    @Test
    void canonicalPathsAreReturnedAsTheyAre() {
        for (String p : List.of("/", "/socket.io/", "/socket.io", "/a/b", "/a/b/", "/..a/b.", "/a b/")) {
            assertTrue(RequestPaths.isCanonical(p), p);
            assertEquals(RequestPaths.normalize(p), RequestPaths.canonical(p), p);
        }
        for (String p : List.of("//", "/a//b", "/a//", "/.", "/./a", "/a/..", "/a/../b", "/%61", "/a;x=1", "/a\\b",
                "/\u00e9", "/a\u0001")) {
            assertFalse(RequestPaths.isCanonical(p), p);
        }
    }

    @Test
    void theShortcutAgreesWithTheSegmentWalkOnGeneratedPaths() {
        String[] pieces = {"/", "/", "a", "b", ".", "..", "%2e", "%41", ";x", "\\", " ", "\u00e9", "\u0007"};
        Random random = new Random(20261202L);
        int canonical = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder("/");
            for (int k = random.nextInt(6); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String raw = sb.toString();
            String expected;
            try {
                expected = RequestPaths.normalize(raw);
            } catch (RequestPaths.MalformedPathException e) {
                assertFalse(RequestPaths.isCanonical(raw), raw);
                continue;
            }
            if (RequestPaths.isCanonical(raw)) {
                canonical++;
                assertEquals(expected, raw, raw);
            }
            assertEquals(expected, RequestPaths.canonical(raw), raw);
        }
        assertTrue(canonical > 1_000, "generated canonical paths: " + canonical);
    }

    @Test
    void oneQueryParameterIsWhatTheMapHolds() {
        String q = "EIO=4&transport=polling&t=P1&sid=a%2Bb&sid=second&flag&e=&x+y=1";
        assertEquals(Optional.of("4"), HandshakeAdmissionFilter.queryParam(q, "EIO"));
        assertEquals(Optional.of("polling"), HandshakeAdmissionFilter.queryParam(q, "transport"));
        assertEquals(Optional.of("a+b"), HandshakeAdmissionFilter.queryParam(q, "sid"));
        assertEquals(Optional.of(""), HandshakeAdmissionFilter.queryParam(q, "flag"));
        assertEquals(Optional.of(""), HandshakeAdmissionFilter.queryParam(q, "e"));
        assertEquals(Optional.of("1"), HandshakeAdmissionFilter.queryParam(q, "x y"));
        assertEquals(Optional.empty(), HandshakeAdmissionFilter.queryParam(q, "missing"));
        assertEquals(Optional.empty(), HandshakeAdmissionFilter.queryParam(null, "sid"));
        assertEquals(Optional.empty(), HandshakeAdmissionFilter.queryParam("", "sid"));
    }

    @Test
    void queryParameterAgreesWithTheMapOnGeneratedQueries() {
        String[] pieces = {"sid", "EIO", "=", "=", "&", "&", "4", "%73", "+", "%", "%zz", "a"};
        String[] names = {"sid", "EIO", "a", "", "s", "sid=4"};
        Random random = new Random(42L);
        int found = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(8); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String q = sb.toString();
            Map<String, List<String>> all = HandshakeAdmissionFilter.query(q);
            for (String name : names) {
                List<String> values = all.get(name);
                Optional<String> expected = values == null ? Optional.empty() : Optional.of(values.get(0));
                assertEquals(expected, HandshakeAdmissionFilter.queryParam(q, name), q + " / " + name);
                found += expected.isPresent() ? 1 : 0;
            }
        }
        assertTrue(found > 1_000, "generated queries with the parameter: " + found);
    }
}
