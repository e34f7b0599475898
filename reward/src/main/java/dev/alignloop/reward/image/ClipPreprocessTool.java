package dev.alignloop.reward.image;

import dev.alignloop.reward.io.MiniSafetensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The {@code alignloop model clip-preprocess} contract (parity/README.md): read a HF
 * {@code preprocessor_config.json} and an image, write {@code pixel_values} {@code [1, 3, H, W]}
 * float32 to a safetensors file.
 */
public final class ClipPreprocessTool {

    private ClipPreprocessTool() {
    }

    /**
     * Runs the tool.
     *
     * @param preprocessorConfig HF {@code preprocessor_config.json}
     * @param image              any image ImageIO reads (PNG, JPEG, BMP, GIF)
     * @param output             safetensors file to write (atomically)
     */
    public static void run(Path preprocessorConfig, Path image, Path output) {
        ClipImagePreprocessor pre = new ClipImagePreprocessor(ClipImageConfig.fromPreprocessorConfig(preprocessorConfig));
        ClipImagePreprocessor.PixelValues pv = pre.preprocess(readImage(image));
        MiniSafetensors.writeF32(output, Map.of("pixel_values", pv.chw()),
                Map.of("pixel_values", new long[] {1, 3, pv.height(), pv.width()}));
    }

    /** Reads an image file, failing with the file name when ImageIO cannot decode it. */
    public static BufferedImage readImage(Path image) {
        try {
            BufferedImage img = ImageIO.read(image.toFile());
            if (img == null) {
                throw new IllegalArgumentException("cannot decode image " + image + " (no ImageIO reader for its format)");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + image, e);
        }
    }
}
