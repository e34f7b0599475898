package dev.alignloop.text;

/** Whether {@code encode} pads to {@code maxLength}. Truncation to {@code maxLength} always applies. */
public enum Padding {
  /** Pad to exactly {@code maxLength} (transformers' {@code padding="max_length"}): what CLIP text encoders expect. */
  MAX_LENGTH,
  /** No padding: the result is only as long as the (truncated) text. */
  NONE
}
