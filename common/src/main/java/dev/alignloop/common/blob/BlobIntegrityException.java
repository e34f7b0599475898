package dev.alignloop.common.blob;

/**
 * A blob's content does not hash to the expected SHA-256 (corruption, tampering, or a reference
 * to the wrong blob). The content is never returned.
 */
public class BlobIntegrityException extends BlobException {

  private static final long serialVersionUID = 1L;

  private final String expectedSha256;
  private final String actualSha256;

  /** Content at {@code uri} hashed to {@code actual} instead of {@code expected}. */
  public BlobIntegrityException(String uri, String expected, String actual) {
    super(
        uri,
        "Blob integrity check failed for "
            + uri
            + ": expected sha256 "
            + expected
            + " but content hashes to "
            + actual);
    this.expectedSha256 = expected;
    this.actualSha256 = actual;
  }

  /** The SHA-256 the reference promised. */
  public String expectedSha256() {
    return expectedSha256;
  }

  /** The SHA-256 of what was read. */
  public String actualSha256() {
    return actualSha256;
  }
}
