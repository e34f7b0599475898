package dev.alignloop.common.blob;

import dev.alignloop.common.io.Sha256;
import java.util.Objects;

/**
 * Where a blob lives and what it must hash to. Services map it to and from the Avro {@code
 * BlobRef} (which adds width and height for images).
 *
 * @param uri {@code file:/abs/dir/ab/ab12...png} or {@code s3://bucket/prefix/ab/ab12...png}
 * @param sha256 lowercase hex SHA-256 of the content
 * @param size content length in bytes
 * @param mediaType e.g. {@code image/png}
 */
public record StoredBlob(String uri, String sha256, long size, String mediaType) {

  /** Validates the fields. */
  public StoredBlob {
    Objects.requireNonNull(uri, "uri");
    Sha256.requireHex(sha256, "sha256 of blob " + uri);
    if (size < 0) {
      throw new IllegalArgumentException("Negative size " + size + " for blob " + uri);
    }
    Objects.requireNonNull(mediaType, "mediaType");
  }
}
