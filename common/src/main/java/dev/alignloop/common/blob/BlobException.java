package dev.alignloop.common.blob;

/** A blob store operation failed; the message names the blob URI (or store base URI). */
public class BlobException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String uri;

  /** An error about {@code uri}. */
  public BlobException(String uri, String message) {
    super(message);
    this.uri = uri;
  }

  /** An error about {@code uri} with a cause (an I/O or SDK error). */
  public BlobException(String uri, String message, Throwable cause) {
    super(message, cause);
    this.uri = uri;
  }

  /** The blob (or store) URI at fault. */
  public String uri() {
    return uri;
  }
}
