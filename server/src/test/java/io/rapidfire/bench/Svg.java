package io.rapidfire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Just enough SVG for two kinds of plot: step lines (CDF, throughput over time) with a legend. */
final class Svg {
    record Series(String name, double[] x, double[] y) {
    }

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"};

    private Svg() {
    }

    static void lines(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean logX)
            throws IOException {
        int w = 760, h = 420, l = 70, r = 190, t = 40, b = 50;
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double x = logX ? Math.log10(Math.max(0.1, s.x()[i])) : s.x()[i];
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        maxY = maxY <= 0 ? 1 : maxY * 1.05;
        double x0 = minX;
        double x1 = maxX;
        StringBuilder o = frame(w, h, l, r, t, b, title, xLabel, yLabel,
                i -> logX ? Math.pow(10, x0 + (x1 - x0) * i / 4) : x0 + (x1 - x0) * i / 4, maxY);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                double x = logX ? Math.log10(Math.max(0.1, s.x()[i])) : s.x()[i];
                double px = l + (w - l - r) * (x - minX) / (maxX - minX);
                double py = h - b - (h - t - b) * s.y()[i] / maxY;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            String color = COLORS[k % COLORS.length];
            o.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='1.6' points='%s'/>%n", color, pts));
            o.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='3' fill='%s'/>"
                    + "<text x='%d' y='%d'>%s</text>%n", w - r + 12, t + 10 + 18 * k, color, w - r + 30, t + 15 + 18 * k,
                    esc(s.name())));
        }
        o.append("</svg>\n");
        Files.writeString(file, o);
    }

    /** One labelled point per series (its first x, y): e.g. each policy's split rate against its delay. */
    static void points(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        int w = 760, h = 420, l = 70, r = 40, t = 40, b = 50;
        double maxX = 1, maxY = 1;
        for (Series s : series) {
            maxX = Math.max(maxX, s.x()[0] * 1.15);
            maxY = Math.max(maxY, s.y()[0] * 1.15);
        }
        double x1 = maxX;
        StringBuilder o = frame(w, h, l, r, t, b, title, xLabel, yLabel, i -> x1 * i / 4, maxY);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            double px = l + (w - l - r) * s.x()[0] / maxX;
            double py = h - b - (h - t - b) * s.y()[0] / maxY;
            String color = COLORS[k % COLORS.length];
            o.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='5' fill='%s'/><text x='%.1f' y='%.1f'>%s</text>%n",
                    px, py, color, px + 8, py - 6, esc(s.name())));
        }
        o.append("</svg>\n");
        Files.writeString(file, o);
    }

    /** The canvas, title, axes, five ticks on each axis (x tick i is xTick(i)) and the axis labels. */
    private static StringBuilder frame(int w, int h, int l, int r, int t, int b, String title, String xLabel,
                                       String yLabel, java.util.function.IntToDoubleFunction xTick, double maxY) {
        StringBuilder o = new StringBuilder();
        o.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                + "font-family='sans-serif' font-size='12'>%n<rect width='100%%' height='100%%' fill='white'/>%n", w, h));
        o.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='15'>%s</text>%n", l, esc(title)));
        o.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n", l, h - b, w - r, h - b));
        o.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='black'/>%n", l, t, l, h - b));
        for (int i = 0; i <= 4; i++) {
            int px = l + (w - l - r) * i / 4;
            int py = h - b - (h - t - b) * i / 4;
            o.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>%n", px, h - b + 16, fmt(xTick.applyAsDouble(i))));
            o.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>%n", l - 6, py + 4, fmt(maxY * i / 4)));
            o.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#eee'/>%n", l, py, w - r, py));
        }
        o.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>%n", (l + w - r) / 2, h - 12, esc(xLabel)));
        o.append(String.format(Locale.ROOT, "<text x='16' y='%d' transform='rotate(-90 16 %d)' text-anchor='middle'>%s</text>%n",
                (t + h - b) / 2, (t + h - b) / 2, esc(yLabel)));
        return o;
    }

    private static String fmt(double v) {
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return v >= 10 || v == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
