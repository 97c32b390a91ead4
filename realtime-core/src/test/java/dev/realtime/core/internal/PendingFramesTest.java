package dev.realtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waiting frames of one connection: order, and when progress conflates. */
class PendingFramesTest {
    private static final String KEY = "job:progress|job:a";

    private static List<String> drain(PendingFrames p) {
        List<String> out = new ArrayList<>();
        Frame f;
        while ((f = p.poll()) != null) {
            out.add(f.text());
        }
        return out;
    }

    @Test
    void aReplayWaitingAheadDoesNotMakeTheLiveProgressBehindItConflate() {
        PendingFrames p = new PendingFrames(16);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 40; i++) { // a resume's replay: history events carry no conflation key
            p.add(Frame.text("replay " + i, null));
            expected.add("replay " + i);
        }
        for (int i = 41; i <= 50; i++) { // live progress published while the replay waits
            assertFalse(p.add(Frame.text("live " + i, KEY)), "live " + i + " replaced a waiting frame");
            expected.add("live " + i);
        }
        assertEquals(50, p.live());
        assertEquals(expected, drain(p));
    }

    @Test
    void progressConflatesOnceThatManyProgressFramesWaitLatestWinsAtTheTail() {
        PendingFrames p = new PendingFrames(16);
        p.add(Frame.text("completed", null));
        for (int i = 1; i <= 16; i++) {
            assertFalse(p.add(Frame.text("p" + i, KEY)));
        }
        p.add(Frame.text("other", "job:progress|job:b")); // another stream's progress is its own key
        assertTrue(p.add(Frame.text("p17", KEY)), "the 17th waiting progress of the stream replaces the 16th");
        assertTrue(p.add(Frame.text("p18", KEY)));
        assertEquals(18, p.live());
        List<String> out = drain(p);
        assertEquals("completed", out.get(0));
        assertEquals(List.of("p14", "p15", "other", "p18"), out.subList(out.size() - 4, out.size()));
        assertFalse(out.contains("p16") || out.contains("p17"));
        assertNull(p.poll());
    }

    @Test
    void conflationStopsOnceTheProgressBacklogIsWrittenBelowTheThreshold() {
        PendingFrames p = new PendingFrames(4);
        for (int i = 1; i <= 4; i++) {
            p.add(Frame.text("p" + i, KEY));
        }
        assertTrue(p.add(Frame.text("p5", KEY)));
        assertEquals("p1", p.poll().text());
        assertEquals("p2", p.poll().text()); // 2 progress frames wait (p3, p5)
        assertFalse(p.add(Frame.text("p6", KEY)));
        assertFalse(p.add(Frame.text("p7", KEY)));
        assertEquals(List.of("p3", "p5", "p6", "p7"), drain(p));
    }
}
