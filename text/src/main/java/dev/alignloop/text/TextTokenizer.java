package dev.alignloop.text;

/** Turns a prompt into model input ids. Implementations are immutable and thread-safe. */
public interface TextTokenizer {

  /**
   * Encodes {@code text} with the tokenizer's special tokens (e.g. BOS/EOS), truncated so that
   * the result including them fits {@code maxLength} (the end token is kept last), then padded
   * with the pad token to exactly {@code maxLength}. The attention mask is 1 for real tokens
   * (including BOS/EOS) and 0 for padding.
   *
   * @throws IllegalArgumentException if {@code maxLength} cannot hold the special tokens
   * @throws TokenizerException if the text cannot be encoded (e.g. an unknown word in strict
   *     mode)
   */
  Encoding encode(String text, int maxLength);
}
