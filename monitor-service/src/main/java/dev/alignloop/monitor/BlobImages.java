package dev.alignloop.monitor;

import dev.alignloop.common.blob.BlobIntegrityException;
import dev.alignloop.common.blob.BlobNotFoundException;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Gallery images from the blob store, read with SHA-256 verification (so {@code /api/images}
 * can only ever serve the exact bytes a pair references, and only from under the configured
 * store). The store is opened on first use.
 */
@Singleton
public class BlobImages implements AutoCloseable {

  /** Image bytes and their media type, sniffed from the magic bytes. */
  public record Image(byte[] data, String mediaType) {}

  /** Why an image could not be served. */
  public static final class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for the HTTP status. */
    public enum Kind { BAD_REQUEST, NOT_FOUND, CORRUPT }

    private final Kind kind;

    ImageException(Kind kind, String message, Throwable cause) {
      super(message, cause);
      this.kind = kind;
    }

    /** What went wrong. */
    public Kind kind() {
      return kind;
    }
  }

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final String baseUri;
  private final BlobStoreOptions options;
  private BlobStore store;

  /** Reads from {@code alignloop.monitor.blob-store}, if set. */
  public BlobImages(MonitorConfig config, BlobStoreOptions options) {
    this.baseUri = config.blobStore();
    this.options = options;
  }

  /**
   * The verified bytes of the blob at {@code uri}.
   *
   * @throws ImageException BAD_REQUEST for a malformed hash or a URI outside the store,
   *     NOT_FOUND when no store is configured or the blob is missing, CORRUPT when the content
   *     does not match the hash
   */
  public Image get(String sha256, String uri) {
    String sha = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(sha).matches()) {
      throw new ImageException(ImageException.Kind.BAD_REQUEST, "not a SHA-256 hex digest: " + sha256, null);
    }
    if (uri == null || uri.isBlank()) {
      throw new ImageException(ImageException.Kind.BAD_REQUEST, "query parameter 'uri' is required", null);
    }
    try {
      byte[] data = store().get(uri, sha);
      return new Image(data, mediaType(data));
    } catch (BlobNotFoundException e) {
      throw new ImageException(ImageException.Kind.NOT_FOUND, e.getMessage(), e);
    } catch (BlobIntegrityException e) {
      throw new ImageException(ImageException.Kind.CORRUPT, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ImageException(ImageException.Kind.BAD_REQUEST, e.getMessage(), e);
    }
  }

  private synchronized BlobStore store() {
    if (baseUri == null) {
      throw new ImageException(ImageException.Kind.NOT_FOUND,
          "no blob store configured (alignloop.monitor.blob-store)", null);
    }
    if (store == null) {
      store = BlobStores.open(baseUri, options);
    }
    return store;
  }

  /** PNG, JPEG or WebP by magic bytes; anything else is served as opaque bytes. */
  static String mediaType(byte[] d) {
    if (d.length >= 8 && (d[0] & 0xff) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G') {
      return "image/png";
    }
    if (d.length >= 3 && (d[0] & 0xff) == 0xff && (d[1] & 0xff) == 0xd8 && (d[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F'
        && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
      return "image/webp";
    }
    return "application/octet-stream";
  }

  /** Closes the store's clients. */
  @PreDestroy
  @Override
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }
}
