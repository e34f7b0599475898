package dev.alignloop.common.blob;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of {@link BlobStore#list()}, for retention decisions. The media type is derived from
 * the key's extension ({@code application/octet-stream} for {@code .bin}).
 *
 * @param blob the blob
 * @param lastModified when it was (last) written
 */
public record BlobInfo(StoredBlob blob, Instant lastModified) {

  /** Validates the fields. */
  public BlobInfo {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(lastModified, "lastModified");
  }
}
