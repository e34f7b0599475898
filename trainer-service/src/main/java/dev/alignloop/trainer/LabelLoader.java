package dev.alignloop.trainer;

import dev.alignloop.common.blob.BlobIntegrityException;
import dev.alignloop.common.blob.BlobNotFoundException;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.image.Png;
import dev.alignloop.common.image.PngFormatException;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.InputRecord;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.TokenizerException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns labels into training inputs: fetches winner and loser from the blob store (SHA-256
 * verified), decodes them strictly as 8-bit RGB PNGs of the training size, scales pixels to
 * {@code [-1, 1]} ({@code x = 2 · v/255 − 1}, the inverse of diffusers' {@code denormalize}) and
 * tokenizes the prompt exactly as the generator does. Content that can never train (no blob,
 * wrong checksum, not a PNG, wrong size, a prompt the tokenizer rejects, a non-finite margin)
 * becomes a {@link Rejection} with a reason code; anything else (the store unreachable, an I/O
 * error) is thrown, because it may work on retry.
 */
public final class LabelLoader {
  /** Reason codes: the prefix of every dead letter's reason and the {@code reason} tag of metrics. */
  public static final String BLOB_MISSING = "blob.missing";
  public static final String BLOB_CHECKSUM = "blob.checksum";
  public static final String BLOB_URI = "blob.uri";
  public static final String IMAGE_MEDIA_TYPE = "image.media-type";
  public static final String IMAGE_SIZE = "image.size";
  public static final String IMAGE_DECODE = "image.decode";
  public static final String PROMPT = "prompt.tokenize";
  public static final String MARGIN = "label.margin";

  private static final String PNG = "image/png";

  private final BlobStore blobs;
  private final TextTokenizer tokenizer;
  private final int maxTokens;
  private final int size;

  /**
   * @param blobs where the images are
   * @param tokenizer the policy's tokenizer
   * @param maxTokens padded prompt length
   * @param size expected image side in pixels
   */
  public LabelLoader(BlobStore blobs, TextTokenizer tokenizer, int maxTokens, int size) {
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.maxTokens = maxTokens;
    this.size = size;
  }

  /**
   * One label ready to train on.
   *
   * @param record the label and where it was read
   * @param winner {@code [3, H, W]} pixels in [-1, 1], row-major, channels R, G, B
   * @param loser likewise
   * @param inputIds the prompt's token ids, padded to the model's length
   */
  public record PreparedPair(InputRecord<PreferenceLabel> record, float[] winner, float[] loser, long[] inputIds) {
    /** The label's pair id. */
    public String pairId() {
      return record.value().getPairId();
    }
  }

  /**
   * A label that can never train.
   *
   * @param record the label and where it was read
   * @param code the reason code ({@link #BLOB_MISSING}, ...)
   * @param reason {@code code: what and where} (the cause's message is not repeated here)
   * @param cause the underlying error, or null
   */
  public record Rejection(InputRecord<PreferenceLabel> record, String code, String reason, Throwable cause) {
    /** The reason followed by the cause's message, as dead letters carry it. */
    public String describe() {
      return cause == null ? reason : reason + ": " + cause.getMessage();
    }
  }

  /** What {@link #prepare} made of a batch: the trainable pairs and the rejections, each in input order. */
  public record Prepared(List<PreparedPair> pairs, List<Rejection> rejected) {
    public Prepared {
      pairs = List.copyOf(pairs);
      rejected = List.copyOf(rejected);
    }
  }

  /**
   * Prepares every label.
   *
   * @throws RuntimeException a transient failure (e.g. the blob store is unreachable)
   */
  public Prepared prepare(List<InputRecord<PreferenceLabel>> labels) {
    List<PreparedPair> ok = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (InputRecord<PreferenceLabel> r : labels) {
      Object result = prepare(r);
      if (result instanceof Rejection rej) {
        rejected.add(rej);
      } else {
        ok.add((PreparedPair) result);
      }
    }
    return new Prepared(ok, rejected);
  }

  private Object prepare(InputRecord<PreferenceLabel> r) {
    PreferenceLabel label = r.value();
    String where = "label " + label.getPairId() + " at " + r.coordinates();
    if (!Double.isFinite(label.getMargin())) {
      return new Rejection(r, MARGIN, MARGIN + ": " + where + " has margin " + label.getMargin(), null);
    }
    long[] ids;
    try {
      ids = tokenizer.encode(label.getPrompt(), maxTokens).inputIds();
    } catch (TokenizerException | IllegalArgumentException e) {
      return new Rejection(r, PROMPT, PROMPT + ": " + where + " prompt \"" + abbreviate(label.getPrompt()) + "\"", e);
    }
    Object winner = image(r, where + " winner", label.getWinner());
    if (winner instanceof Rejection rej) {
      return rej;
    }
    Object loser = image(r, where + " loser", label.getLoser());
    if (loser instanceof Rejection rej) {
      return rej;
    }
    return new PreparedPair(r, (float[]) winner, (float[]) loser, ids);
  }

  /** {@code float[3 * H * W]} in [-1, 1], or a {@link Rejection}. */
  private Object image(InputRecord<PreferenceLabel> r, String what, BlobRef ref) {
    String where = what + " (" + ref.getUri() + ")";
    if (!PNG.equals(ref.getMediaType())) {
      return new Rejection(r, IMAGE_MEDIA_TYPE, IMAGE_MEDIA_TYPE + ": " + where + " is " + ref.getMediaType()
          + ", only " + PNG + " is accepted", null);
    }
    if (ref.getWidth() != size || ref.getHeight() != size) {
      return new Rejection(r, IMAGE_SIZE, IMAGE_SIZE + ": " + where + " is " + ref.getWidth() + "×" + ref.getHeight()
          + ", the model trains on " + size + "×" + size, null);
    }
    byte[] bytes;
    try {
      bytes = blobs.get(ref.getUri(), ref.getSha256());
    } catch (BlobNotFoundException e) {
      return new Rejection(r, BLOB_MISSING, BLOB_MISSING + ": " + where, e);
    } catch (BlobIntegrityException e) {
      return new Rejection(r, BLOB_CHECKSUM, BLOB_CHECKSUM + ": " + where, e);
    } catch (IllegalArgumentException e) { // a URI outside this store, or malformed
      return new Rejection(r, BLOB_URI, BLOB_URI + ": " + where, e);
    }
    BufferedImage img;
    try {
      img = Png.decode(bytes, size, size);
    } catch (PngFormatException e) {
      return new Rejection(r, IMAGE_DECODE, IMAGE_DECODE + ": " + where, e);
    }
    return pixels(img);
  }

  /** {@code [3, H, W]} channel-first, {@code 2 · v/255 − 1}. */
  static float[] pixels(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int plane = w * h;
    int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[i] = ((p >> 16) & 0xFF) / 127.5f - 1f;
      out[plane + i] = ((p >> 8) & 0xFF) / 127.5f - 1f;
      out[2 * plane + i] = (p & 0xFF) / 127.5f - 1f;
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
