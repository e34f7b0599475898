package dev.alignloop.common.blob;

/** No blob exists at the URI (deleted by retention, or never written). */
public class BlobNotFoundException extends BlobException {

  private static final long serialVersionUID = 1L;

  /** The blob at {@code uri} does not exist. */
  public BlobNotFoundException(String uri) {
    super(uri, "Blob not found: " + uri);
  }

  /** The blob at {@code uri} does not exist (as reported by {@code cause}). */
  public BlobNotFoundException(String uri, Throwable cause) {
    super(uri, "Blob not found: " + uri, cause);
  }
}
