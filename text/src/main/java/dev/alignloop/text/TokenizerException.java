package dev.alignloop.text;

/**
 * A tokenizer file is missing or malformed, or a text cannot be encoded. Messages name the file
 * (and key or line) or the word and prompt at fault.
 */
public class TokenizerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An error with a message naming what is at fault. */
  public TokenizerException(String message) {
    super(message);
  }

  /** An error with a cause (e.g. a JSON or I/O error). */
  public TokenizerException(String message, Throwable cause) {
    super(message, cause);
  }
}
