package dev.alignloop.common.blob;

import dev.alignloop.common.io.AtomicFiles;
import dev.alignloop.common.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files under a root directory ({@code root/ab/abcd....png}), for single machines and
 * shared volumes (a Kubernetes RWX PVC).
 *
 * <p>Writes are atomic: content is streamed into {@code root/.staging/} (same file system, so
 * the final rename is atomic) while being hashed, fsynced, then renamed to its content key and
 * the directory fsynced. Staging (rather than a temp name beside the target) lets a file put learn
 * its key in a single pass over a multi-GB checkpoint. Concurrent puts of the same content race
 * harmlessly: both renames install identical bytes.
 */
public final class FileBlobStore implements BlobStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileBlobStore.class);
  static final String STAGING_DIR = ".staging";
  // Staging files this old are leftovers of a crashed writer (any live put takes far less).
  private static final Duration STALE_STAGING = Duration.ofHours(24);

  private final Path root;
  private final Path staging;
  private final String baseUri;
  private final boolean fsync;

  /**
   * Opens (creating if needed) a store rooted at {@code root}.
   *
   * @param fsync whether to fsync files and directories (turn off only for throwaway tests)
   */
  public FileBlobStore(Path root, boolean fsync) {
    this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    this.staging = this.root.resolve(STAGING_DIR);
    this.baseUri = toUri(this.root);
    this.fsync = fsync;
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new BlobException(baseUri, "Cannot create blob store directory " + this.root, e);
    }
    cleanStaleStaging();
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  @Override
  public String baseUri() {
    return baseUri;
  }

  @Override
  public StoredBlob put(byte[] data, String mediaType) {
    Objects.requireNonNull(data, "data");
    return store(out -> out.write(data), BlobKeys.normalizeMediaType(mediaType), "byte[]");
  }

  @Override
  public StoredBlob put(Path file, String mediaType) {
    String type = BlobKeys.normalizeMediaType(mediaType);
    if (!Files.isRegularFile(file)) {
      throw new BlobException(baseUri, "Cannot store " + file + ": not a regular file");
    }
    return store(
        out -> {
          try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
          }
        },
        type,
        file.toString());
  }

  private StoredBlob store(AtomicFiles.IOConsumer<OutputStream> writer, String mediaType, String source) {
    Path temp = staging.resolve(AtomicFiles.TEMP_PREFIX + UUID.randomUUID());
    try {
      String sha;
      long size;
      try (FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream fileOut = Channels.newOutputStream(channel);
          HashingOutputStream out = new HashingOutputStream(fileOut)) {
        writer.accept(out);
        out.flush();
        if (fsync) {
          channel.force(true);
        }
        sha = out.sha256();
        size = out.count();
      }
      String key = BlobKeys.relativeKey(sha, mediaType);
      Path target = root.resolve(key);
      String uri = toUri(target);
      if (isIntact(target, sha)) {
        LOG.debug("Blob {} already stored; put of {} is a no-op", uri, source);
        return new StoredBlob(uri, sha, size, mediaType);
      }
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (fsync) {
        AtomicFiles.fsyncDirectory(target.getParent());
      }
      LOG.debug("Stored {} ({} bytes) from {}", uri, size, source);
      return new StoredBlob(uri, sha, size, mediaType);
    } catch (IOException e) {
      throw new BlobException(baseUri, "Cannot store " + source + " in " + baseUri + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        LOG.warn("Cannot delete staging file {}: {}", temp, e.toString());
      }
    }
  }

  // An existing copy is reused only if it still hashes right; a damaged one is replaced.
  private boolean isIntact(Path target, String sha) throws IOException {
    if (!Files.isRegularFile(target)) {
      return false;
    }
    try {
      if (Sha256.hex(target).equals(sha)) {
        return true;
      }
    } catch (NoSuchFileException e) {
      return false; // deleted concurrently (retention)
    }
    LOG.warn("Blob {} is damaged; replacing it with the freshly written copy", toUri(target));
    return false;
  }

  @Override
  public byte[] get(String uri, String sha256) {
    Sha256.requireHex(sha256, "expected sha256 of " + uri);
    Path path = resolve(uri);
    try {
      // One read into an exactly-sized array, hashed in place: no stream buffer, no second copy
      // (images are a few KB, so the open/read/close dominate and the bytes are never doubled).
      return VerifiedReads.verified(uri, sha256, Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(uri, e);
    } catch (IOException e) {
      throw new BlobException(uri, "Cannot read blob " + uri + ": " + e, e);
    }
  }

  @Override
  public void download(String uri, String sha256, Path target) {
    Sha256.requireHex(sha256, "expected sha256 of " + uri);
    Path path = resolve(uri);
    try (InputStream in = Files.newInputStream(path)) {
      VerifiedReads.toFile(uri, sha256, in, target);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(uri, e);
    } catch (IOException e) {
      throw new BlobException(uri, "Cannot download blob " + uri + " to " + target + ": " + e, e);
    }
  }

  @Override
  public boolean exists(String uri) {
    return Files.isRegularFile(resolve(uri));
  }

  @Override
  public boolean delete(String uri) {
    try {
      return Files.deleteIfExists(resolve(uri));
    } catch (IOException e) {
      throw new BlobException(uri, "Cannot delete blob " + uri + ": " + e, e);
    }
  }

  @Override
  public Stream<BlobInfo> list() {
    try {
      return Files.find(root, 2, (p, attrs) -> attrs.isRegularFile())
          .map(this::info)
          .filter(Objects::nonNull);
    } catch (IOException e) {
      throw new BlobException(baseUri, "Cannot list blob store " + baseUri + ": " + e, e);
    }
  }

  private BlobInfo info(Path file) {
    String rel = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    BlobKeys.Key key = BlobKeys.parse(rel);
    if (key == null) {
      return null;
    }
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      return new BlobInfo(
          new StoredBlob(toUri(file), key.sha256(), attrs.size(), key.mediaType()),
          attrs.lastModifiedTime().toInstant());
    } catch (NoSuchFileException e) {
      return null; // deleted while listing
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    // Nothing to release.
  }

  @Override
  public String toString() {
    return "FileBlobStore[" + baseUri + "]";
  }

  /** The blob file for {@code uri}, which must lie under this store's root. */
  Path resolve(String uri) {
    Objects.requireNonNull(uri, "uri");
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Malformed blob URI '" + uri + "' for store " + baseUri, e);
    }
    if (!"file".equalsIgnoreCase(u.getScheme()) || u.isOpaque()) {
      throw new IllegalArgumentException("Blob URI " + uri + " is not a hierarchical file: URI (store " + baseUri + ")");
    }
    Path path;
    try {
      path = Path.of(u).normalize();
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new IllegalArgumentException("Malformed blob URI '" + uri + "' for store " + baseUri, e);
    }
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("Blob URI " + uri + " is not under store " + baseUri);
    }
    return path;
  }

  /** {@code file:/abs/path} (single slash, percent-encoded), the form used in messages. */
  static String toUri(Path absolute) {
    try {
      String p = absolute.toString().replace(absolute.getFileSystem().getSeparator(), "/");
      if (!p.startsWith("/")) {
        p = "/" + p; // Windows drive paths
      }
      return new URI("file", null, p, null).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Cannot make a URI of " + absolute, e);
    }
  }

  private void cleanStaleStaging() {
    Instant cutoff = Instant.now().minus(STALE_STAGING);
    try (Stream<Path> files = Files.list(staging)) {
      files.forEach(
          f -> {
            try {
              if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                Files.deleteIfExists(f);
                LOG.info("Deleted stale staging file {}", f);
              }
            } catch (IOException e) {
              LOG.debug("Cannot clean staging file {}: {}", f, e.toString());
            }
          });
    } catch (IOException e) {
      LOG.warn("Cannot list staging directory {}: {}", staging, e.toString());
    }
  }
}
