package dev.alignloop.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * Token ids and attention mask of one text, as {@code long}s (the dtype text encoders and ONNX
 * reward graphs take for {@code input_ids} / {@code attention_mask}).
 *
 * @param inputIds token ids, padded
 * @param attentionMask 1 for real tokens, 0 for padding; same length as {@code inputIds}
 */
public record Encoding(long[] inputIds, long[] attentionMask) {

  /** Validates that both arrays are present and of equal length. */
  public Encoding {
    Objects.requireNonNull(inputIds, "inputIds");
    Objects.requireNonNull(attentionMask, "attentionMask");
    if (inputIds.length != attentionMask.length) {
      throw new IllegalArgumentException(
          "inputIds and attentionMask differ in length: " + inputIds.length + " vs " + attentionMask.length);
    }
  }

  /** Sequence length (including padding). */
  public int length() {
    return inputIds.length;
  }

  /** Number of real (unpadded) tokens. */
  public int tokenCount() {
    int n = 0;
    for (long m : attentionMask) {
      n += (int) m;
    }
    return n;
  }

  /** The ids as ints (handy for tests and for building int tensors). */
  public int[] inputIdsAsInts() {
    return Arrays.stream(inputIds).mapToInt(Math::toIntExact).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Encoding e
        && Arrays.equals(inputIds, e.inputIds)
        && Arrays.equals(attentionMask, e.attentionMask);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(inputIds) + Arrays.hashCode(attentionMask);
  }

  @Override
  public String toString() {
    return "Encoding[inputIds=" + Arrays.toString(inputIds) + ", attentionMask=" + Arrays.toString(attentionMask) + "]";
  }
}
