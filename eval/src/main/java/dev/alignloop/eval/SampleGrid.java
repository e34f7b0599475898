package dev.alignloop.eval;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The before/after picture of an evaluation: one column per (prompt, seed), the baseline's image
 * in the top row and the policy's below it, the prompt written above each column. Small images
 * are enlarged with nearest-neighbour scaling ({@link #scaleFor}: 32 px × 3) so the shapes stay
 * crisp. With a judge, each image gets a thin frame: green when every check passed, red when not.
 *
 * <p>Layout, in pixels: a {@link #LABEL_WIDTH} column of row labels, then the columns, each
 * {@code cellWidth + }{@link #GAP} wide; a {@link #PROMPT_STRIP} band on top, then two rows each
 * {@code cellHeight + GAP} high (see {@link #size}).
 */
public final class SampleGrid {
    private static final Logger LOG = LoggerFactory.getLogger(SampleGrid.class);

    /** Width of the row-label column. */
    public static final int LABEL_WIDTH = 60;
    /** Height of the prompt band above the images. */
    public static final int PROMPT_STRIP = 40;
    /** Space around each image (half on each side); the judge frame is drawn in it. */
    public static final int GAP = 6;
    /** Enlarged images aim at about this many pixels per side. */
    public static final int TARGET_CELL = 96;

    private static final Color BACKGROUND = new Color(0xF4F4F4);
    private static final Color TEXT = new Color(0x202020);
    private static final Color PASS = new Color(0x2E9E44);
    private static final Color FAIL = new Color(0xD03030);

    private SampleGrid() {
    }

    /**
     * @param side an image side in pixels
     * @return the integer enlargement for it: 3 for 32 px, 2 for 64 px, 1 from 192 px up
     */
    public static int scaleFor(int side) {
        return Math.max(1, (int) Math.round((double) TARGET_CELL / side));
    }

    /**
     * @param columns columns shown
     * @param imageWidth width of one image before enlargement
     * @param imageHeight height of one image before enlargement
     * @return the size of the grid PNG
     */
    public static Dimension size(int columns, int imageWidth, int imageHeight) {
        int scale = scaleFor(Math.max(imageWidth, imageHeight));
        return new Dimension(LABEL_WIDTH + columns * (imageWidth * scale + GAP),
                PROMPT_STRIP + 2 * (imageHeight * scale + GAP));
    }

    /**
     * Draws the grid of the first {@code maxColumns} pairs of a report.
     *
     * @param report the evaluation (all images of the same size)
     * @param maxColumns at most this many columns, {@code >= 1}
     * @return the grid image
     */
    public static BufferedImage render(EvalReport report, int maxColumns) {
        if (maxColumns < 1) {
            throw new IllegalArgumentException("maxColumns must be >= 1, got " + maxColumns);
        }
        if (report.samples().isEmpty()) {
            throw new IllegalArgumentException("the report has no samples to draw");
        }
        List<EvalSample> shown = report.samples().subList(0, Math.min(maxColumns, report.samples().size()));
        int w = shown.get(0).baseline().getWidth();
        int h = shown.get(0).baseline().getHeight();
        int scale = scaleFor(Math.max(w, h));
        int cellW = w * scale;
        int cellH = h * scale;
        Dimension size = size(shown.size(), w, h);
        BufferedImage grid = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, size.width, size.height);
            // Nearest neighbour: the grid should show the pixels the judge saw, not a smoothed version.
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int c = 0; c < shown.size(); c++) {
                EvalSample s = shown.get(c);
                int x = LABEL_WIDTH + c * (cellW + GAP) + GAP / 2;
                for (int row = 0; row < 2; row++) {
                    BufferedImage image = row == 0 ? s.baseline() : s.policy();
                    if (image.getWidth() != w || image.getHeight() != h) {
                        throw new IllegalArgumentException("images differ in size: " + w + "x" + h + " and "
                                + image.getWidth() + "x" + image.getHeight() + " (pair " + c + ")");
                    }
                    int y = PROMPT_STRIP + row * (cellH + GAP) + GAP / 2;
                    if (s.judged()) {
                        boolean ok = (row == 0 ? s.judgeBaseline() : s.judgePolicy()).allCorrect();
                        g.setColor(ok ? PASS : FAIL);
                        g.fillRect(x - GAP / 2, y - GAP / 2, cellW + GAP, cellH + GAP);
                    }
                    g.drawImage(image, x, y, cellW, cellH, null);
                }
            }
            drawLabels(g, shown, cellW, cellH);
        } finally {
            g.dispose();
        }
        return grid;
    }

    /**
     * Draws the grid and writes it as a PNG, atomically (a reader never sees half a file).
     *
     * @param report the evaluation
     * @param png the file to write (parent folders are created)
     * @param maxColumns at most this many columns
     * @return {@code png}
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static Path write(EvalReport report, Path png, int maxColumns) {
        BufferedImage grid = render(report, maxColumns);
        Path target = png.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), ".grid-", ".png.tmp");
            if (!ImageIO.write(grid, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample grid " + png + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file next to the grid
                }
            }
        }
    }

    /**
     * Row labels and prompts. Text needs fonts, which a bare headless JRE may lack; then the grid
     * is still written, unlabelled, rather than failing the evaluation over a caption.
     */
    private static void drawLabels(Graphics2D g, List<EvalSample> shown, int cellW, int cellH) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(TEXT);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            g.drawString("baseline", 4, PROMPT_STRIP + GAP / 2 + cellH / 2);
            g.drawString("policy", 4, PROMPT_STRIP + cellH + GAP + GAP / 2 + cellH / 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
            FontMetrics fm = g.getFontMetrics();
            int maxLines = Math.max(1, (PROMPT_STRIP - 2) / fm.getHeight());
            for (int c = 0; c < shown.size(); c++) {
                int x = LABEL_WIDTH + c * (cellW + GAP) + GAP / 2;
                List<String> lines = wrap(shown.get(c).prompt(), fm, cellW + GAP / 2, maxLines);
                for (int i = 0; i < lines.size(); i++) {
                    g.drawString(lines.get(i), x, 1 + fm.getAscent() + i * fm.getHeight());
                }
            }
        } catch (RuntimeException | InternalError | UnsatisfiedLinkError e) {
            LOG.warn("sample grid: cannot draw text ({}); writing it without labels", e.toString());
        }
    }

    /** Greedy word wrap; the last line ends in "..." when the prompt does not fit. */
    static List<String> wrap(String text, FontMetrics fm, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        String[] words = text.split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String candidate = line.length() == 0 ? words[i] : line + " " + words[i];
            if (fm.stringWidth(candidate) <= width || line.length() == 0) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (lines.size() == maxLines - 1) {
                lines.add(line + "...");
                return lines;
            }
            lines.add(line.toString());
            line.setLength(0);
            line.append(words[i]);
        }
        lines.add(line.toString());
        return lines;
    }
}
