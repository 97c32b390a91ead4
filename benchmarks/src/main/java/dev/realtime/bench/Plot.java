package dev.realtime.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Latency against offered rate as a PNG, drawn with java.awt in headless mode: log-log axes, one line per server
 * and transport (p99 solid, p50 thin), and the 10 ms and 50 ms SLO lines dashed.
 */
final class Plot {
    private static final int W = 1000;
    private static final int H = 640;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double X_MIN = 3_000;
    private static final double X_MAX = 1_500_000;
    private static final double Y_MIN = 0.1;
    private static final double Y_MAX = 5_000;
    private static final Color[] COLORS = {new Color(0xd62728), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x17becf), new Color(0x8c564b), new Color(0x7f7f7f)};

    /** One line: a label and its steps ({@link SloSweep} points). */
    record Series(String label, List<Map<String, Object>> points) {
    }

    private Plot() {
    }

    static void write(Path file, String title, List<Series> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            axes(g, title);
            for (int i = 0; i < series.size(); i++) {
                Series s = series.get(i);
                Color c = COLORS[i % COLORS.length];
                line(g, s.points(), "p50Ms", c, new BasicStroke(1f));
                line(g, s.points(), "p99Ms", c, new BasicStroke(2.5f));
                int ly = TOP + 20 + i * 22;
                g.setStroke(new BasicStroke(2.5f));
                g.drawLine(W - RIGHT + 15, ly - 4, W - RIGHT + 45, ly - 4);
                g.setColor(Color.BLACK);
                g.drawString(s.label(), W - RIGHT + 52, ly);
            }
            g.setColor(Color.DARK_GRAY);
            int ly = TOP + 30 + series.size() * 22;
            g.drawString("thick: p99, thin: p50", W - RIGHT + 15, ly);
            g.drawString("dashed: 10 ms and 50 ms", W - RIGHT + 15, ly + 18);
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static void axes(Graphics2D g, String title) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, TOP - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        for (double x : new double[] {5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6}) {
            int px = px(x);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(px, TOP, px, H - BOTTOM);
            g.setColor(Color.BLACK);
            String label = x >= 1e6 ? String.format(Locale.ROOT, "%.0fM", x / 1e6)
                    : String.format(Locale.ROOT, "%.0fk", x / 1e3);
            g.drawString(label, px - 10, H - BOTTOM + 18);
        }
        for (double y : new double[] {0.1, 1, 10, 100, 1000}) {
            int py = py(y);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, py, W - RIGHT, py);
            g.setColor(Color.BLACK);
            g.drawString(y < 1 ? "0.1" : String.format(Locale.ROOT, "%.0f", y), LEFT - 40, py + 4);
        }
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
        g.setColor(Color.GRAY);
        for (double slo : SloSweep.SLO_MS) {
            g.drawLine(LEFT, py(slo), W - RIGHT, py(slo));
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.drawString("offered msgs/s (events/s × subscribers), log scale", LEFT + 150, H - BOTTOM + 45);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString("publish-to-receive latency, ms (log)", -(TOP + 330), 25);
        r.dispose();
    }

    private static void line(Graphics2D g, List<Map<String, Object>> points, String key, Color c, BasicStroke s) {
        g.setColor(c);
        g.setStroke(s);
        int lx = -1;
        int ly = -1;
        for (Map<String, Object> p : points) {
            if (!(p.get(key) instanceof Number v)) {
                continue;
            }
            int x = px(((Number) p.get("offeredMsgsPerSec")).doubleValue());
            int y = py(Math.max(Y_MIN, Math.min(Y_MAX, v.doubleValue())));
            if (lx >= 0) {
                g.drawLine(lx, ly, x, y);
            }
            g.fillOval(x - 3, y - 3, 6, 6);
            lx = x;
            ly = y;
        }
    }

    private static int px(double x) {
        double f = (Math.log(x) - Math.log(X_MIN)) / (Math.log(X_MAX) - Math.log(X_MIN));
        return LEFT + (int) Math.round(f * (W - LEFT - RIGHT));
    }

    private static int py(double y) {
        double f = (Math.log(y) - Math.log(Y_MIN)) / (Math.log(Y_MAX) - Math.log(Y_MIN));
        return H - BOTTOM - (int) Math.round(f * (H - TOP - BOTTOM));
    }
}
