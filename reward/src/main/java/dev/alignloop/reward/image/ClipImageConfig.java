package dev.alignloop.reward.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The image half of a HF {@code CLIPImageProcessor}: mirrors {@code preprocessor_config.json}
 * key for key, with defaults that reproduce OpenAI CLIP / PickScore (224, bicubic, CLIP mean/std).
 *
 * <p>Resizing is either to a shortest edge ({@code "size": {"shortest_edge": N}}, aspect kept,
 * the usual CLIP setting) or to an exact {@code {"height", "width"}}; {@code shortestEdge} is 0 in
 * the latter case.
 *
 * @param doConvertRgb   {@code do_convert_rgb}
 * @param doResize       {@code do_resize}
 * @param shortestEdge   {@code size.shortest_edge}, or 0 when resizing to {@code resizeHeight x resizeWidth}
 * @param resizeHeight   {@code size.height} (exact resize only)
 * @param resizeWidth    {@code size.width} (exact resize only)
 * @param resample       {@code resample} (PIL code; bicubic = 3, bilinear = 2)
 * @param doCenterCrop   {@code do_center_crop}
 * @param cropHeight     {@code crop_size.height}
 * @param cropWidth      {@code crop_size.width}
 * @param doRescale      {@code do_rescale}
 * @param rescaleFactor  {@code rescale_factor}
 * @param doNormalize    {@code do_normalize}
 * @param imageMean      {@code image_mean}, one per RGB channel
 * @param imageStd       {@code image_std}, one per RGB channel
 */
public record ClipImageConfig(
        boolean doConvertRgb,
        boolean doResize,
        int shortestEdge,
        int resizeHeight,
        int resizeWidth,
        Resample resample,
        boolean doCenterCrop,
        int cropHeight,
        int cropWidth,
        boolean doRescale,
        double rescaleFactor,
        boolean doNormalize,
        float[] imageMean,
        float[] imageStd) {

    /** OpenAI CLIP's {@code image_mean}. */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** OpenAI CLIP's {@code image_std}. */
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** Keys this record reads; anything else in a manifest's {@code image} block is a typo. */
    static final Set<String> KEYS = Set.of("do_convert_rgb", "do_resize", "size", "resample", "do_center_crop",
            "crop_size", "do_rescale", "rescale_factor", "do_normalize", "image_mean", "image_std");

    /** Validates every value, naming its key. */
    public ClipImageConfig {
        if (resample == null) {
            throw new IllegalArgumentException("resample must be set");
        }
        if (doResize) {
            if (shortestEdge < 0 || (shortestEdge == 0 && (resizeHeight <= 0 || resizeWidth <= 0))) {
                throw new IllegalArgumentException("size: need shortest_edge > 0 or height and width > 0, got shortest_edge="
                        + shortestEdge + " height=" + resizeHeight + " width=" + resizeWidth);
            }
            if (shortestEdge > 0 && (resizeHeight != 0 || resizeWidth != 0)) {
                throw new IllegalArgumentException("size: shortest_edge conflicts with height/width; set one or the other");
            }
        }
        if (doCenterCrop && (cropHeight <= 0 || cropWidth <= 0)) {
            throw new IllegalArgumentException("crop_size: height and width must be > 0, got " + cropHeight + "x" + cropWidth);
        }
        if (doRescale && !(rescaleFactor > 0 && Double.isFinite(rescaleFactor))) {
            throw new IllegalArgumentException("rescale_factor must be finite and > 0, got " + rescaleFactor);
        }
        imageMean = checkChannels("image_mean", imageMean, false);
        imageStd = checkChannels("image_std", imageStd, true);
    }

    /** OpenAI CLIP / PickScore defaults at the given resolution (shortest edge = crop = {@code size}). */
    public static ClipImageConfig clipDefaults(int size) {
        return new ClipImageConfig(true, true, size, 0, 0, Resample.BICUBIC, true, size, size,
                true, 1.0 / 255, true, CLIP_MEAN, CLIP_STD);
    }

    /** Reads a HF {@code preprocessor_config.json}; unrelated HF keys are ignored. */
    public static ClipImageConfig fromPreprocessorConfig(Path file) {
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read preprocessor config " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromJson(node, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads HF preprocessor keys from a JSON object. With {@code strict}, keys other than
     * {@link #KEYS} are rejected by name (used for the manifest's {@code image} block).
     */
    public static ClipImageConfig fromJson(JsonNode node, boolean strict) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("image preprocessing must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (strict && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (known: " + KEYS + ")");
            }
        }
        ClipImageConfig d = clipDefaults(224);
        int shortest = d.shortestEdge;
        int rh = 0;
        int rw = 0;
        JsonNode size = node.get("size");
        if (size != null) {
            if (size.isInt()) { // legacy CLIPFeatureExtractor: an int is the shortest edge
                shortest = size.asInt();
            } else if (size.has("shortest_edge")) {
                shortest = intValue(size, "shortest_edge", "size.shortest_edge");
            } else if (size.has("height") || size.has("width")) {
                shortest = 0;
                rh = intValue(size, "height", "size.height");
                rw = intValue(size, "width", "size.width");
            } else {
                throw new IllegalArgumentException("size: expected an int, {shortest_edge} or {height, width}, got " + size);
            }
        }
        int ch = d.cropHeight;
        int cw = d.cropWidth;
        JsonNode crop = node.get("crop_size");
        if (crop != null) {
            if (crop.isInt()) {
                ch = cw = crop.asInt();
            } else {
                ch = intValue(crop, "height", "crop_size.height");
                cw = intValue(crop, "width", "crop_size.width");
            }
        } // else HF's default crop (224), whatever the size
        Resample resample = node.has("resample") ? Resample.fromPilCode(intValue(node, "resample", "resample")) : d.resample;
        return new ClipImageConfig(
                bool(node, "do_convert_rgb", d.doConvertRgb),
                bool(node, "do_resize", d.doResize),
                shortest, rh, rw, resample,
                bool(node, "do_center_crop", d.doCenterCrop), ch, cw,
                bool(node, "do_rescale", d.doRescale),
                node.has("rescale_factor") ? number(node, "rescale_factor") : d.rescaleFactor,
                bool(node, "do_normalize", d.doNormalize),
                node.has("image_mean") ? floats(node, "image_mean") : d.imageMean,
                node.has("image_std") ? floats(node, "image_std") : d.imageStd);
    }

    /** The output height and width for a fixed-size config, or null when it varies by image. */
    public int[] fixedOutputSize() {
        if (doCenterCrop) {
            return new int[] {cropHeight, cropWidth};
        }
        if (doResize && shortestEdge == 0) {
            return new int[] {resizeHeight, resizeWidth};
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipImageConfig c && doConvertRgb == c.doConvertRgb && doResize == c.doResize
                && shortestEdge == c.shortestEdge && resizeHeight == c.resizeHeight && resizeWidth == c.resizeWidth
                && resample == c.resample && doCenterCrop == c.doCenterCrop && cropHeight == c.cropHeight
                && cropWidth == c.cropWidth && doRescale == c.doRescale && rescaleFactor == c.rescaleFactor
                && doNormalize == c.doNormalize && Arrays.equals(imageMean, c.imageMean) && Arrays.equals(imageStd, c.imageStd);
    }

    @Override
    public int hashCode() {
        return 31 * List.of(doConvertRgb, doResize, shortestEdge, resizeHeight, resizeWidth, resample, doCenterCrop,
                cropHeight, cropWidth, doRescale, rescaleFactor, doNormalize).hashCode()
                + Arrays.hashCode(imageMean) * 7 + Arrays.hashCode(imageStd);
    }

    @Override
    public String toString() {
        return "ClipImageConfig[size=" + (shortestEdge > 0 ? "shortest_edge " + shortestEdge : resizeHeight + "x" + resizeWidth)
                + (doResize ? "" : " (off)") + ", resample=" + resample + ", crop=" + (doCenterCrop ? cropHeight + "x" + cropWidth : "off")
                + ", rescale=" + (doRescale ? rescaleFactor : "off") + ", mean=" + Arrays.toString(imageMean)
                + ", std=" + Arrays.toString(imageStd) + (doNormalize ? "" : " (off)") + ", convert_rgb=" + doConvertRgb + "]";
    }

    private static float[] checkChannels(String key, float[] v, boolean positive) {
        if (v == null || v.length != 3) {
            throw new IllegalArgumentException(key + " must have 3 values (R, G, B), got "
                    + (v == null ? "none" : Arrays.toString(v)));
        }
        for (int i = 0; i < 3; i++) {
            if (!Float.isFinite(v[i]) || (positive && v[i] <= 0)) {
                throw new IllegalArgumentException(key + "[" + i + "] must be finite" + (positive ? " and > 0" : "")
                        + ", got " + v[i]);
            }
        }
        return v.clone();
    }

    private static int intValue(JsonNode node, String field, String key) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode node, String key, boolean dflt) {
        JsonNode v = node.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static double number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static float[] floats(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v.isNumber()) { // HF allows a single value for all channels
            float f = (float) v.asDouble();
            return new float[] {f, f, f};
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(key + " must be an array of 3 numbers, got " + v);
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) {
                throw new IllegalArgumentException(key + "[" + i + "] must be a number, got " + v.get(i));
            }
            out[i] = (float) v.get(i).asDouble(); // HF casts mean/std to the image dtype (float32)
        }
        return out;
    }
}
