package dev.alignloop.common.blob;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Content-addressed blob storage (see the package doc for the key layout). Implementations are
 * thread-safe; all errors are unchecked {@link BlobException}s naming the URI.
 */
public interface BlobStore extends AutoCloseable {

  /** The base URI this store was opened with, normalized (no trailing slash). */
  String baseUri();

  /**
   * Stores {@code data}. Idempotent: the same content and media type always yield the same URI,
   * and an existing intact copy is not rewritten.
   *
   * @param mediaType e.g. {@code image/png}; picks the key's extension
   */
  StoredBlob put(byte[] data, String mediaType);

  /**
   * Stores a file's content, streamed (for checkpoint files larger than memory). The file must
   * not change while it is being stored; a change that is detected fails the put.
   */
  StoredBlob put(Path file, String mediaType);

  /**
   * Reads a blob and verifies it against {@code sha256}.
   *
   * @throws BlobNotFoundException if there is no blob at {@code uri}
   * @throws BlobIntegrityException if the content does not hash to {@code sha256}
   * @throws IllegalArgumentException if {@code uri} is not under this store's base URI
   */
  byte[] get(String uri, String sha256);

  /** {@link #get(String, String)} for a stored blob reference. */
  default byte[] get(StoredBlob blob) {
    return get(blob.uri(), blob.sha256());
  }

  /**
   * Streams a blob into {@code target} (replaced atomically, only after the SHA-256 matched):
   * for files too large for {@link #get}.
   *
   * @throws BlobNotFoundException if there is no blob at {@code uri}
   * @throws BlobIntegrityException if the content does not hash to {@code sha256}; {@code target}
   *     is then left as it was
   */
  void download(String uri, String sha256, Path target);

  /** Whether a blob exists at {@code uri} (its content is not checked). */
  boolean exists(String uri);

  /**
   * Deletes the blob at {@code uri}.
   *
   * @return whether it existed
   */
  boolean delete(String uri);

  /**
   * Every blob in the store, for retention. Lazy: close the stream (try-with-resources). Entries
   * that do not follow the key layout (temp files, foreign objects) are skipped.
   */
  Stream<BlobInfo> list();

  /** Releases clients and connections; does not delete anything. */
  @Override
  void close();
}
