package dev.alignloop.common.blob;

import dev.alignloop.common.io.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as S3 objects {@code s3://bucket/prefix/ab/abcd....png}, on AWS or any S3-compatible
 * server (endpoint override + path-style access, see {@link BlobStoreOptions}).
 *
 * <p>Each object carries its SHA-256 as user metadata ({@code x-amz-meta-sha256}). A put skips
 * the upload when an intact copy exists (same size, recorded hash and content hash). Reads always
 * re-hash the content. File puts stream from disk, with multipart upload above a threshold (one part
 * buffered at a time). The SDK's own request/response checksums are set to WHEN_REQUIRED: the
 * end-to-end SHA-256 check covers integrity, and several S3-compatible servers reject the SDK's
 * default trailing CRC checksums.
 */
public final class S3BlobStore implements BlobStore {

  private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
  static final String SHA_METADATA = "sha256";
  private static final int MAX_PARTS = 10_000;

  private final S3Client client;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix; // "" or "a/b/" (always ends with '/')
  private final String baseUri;
  private final BlobStoreOptions options;

  S3BlobStore(S3Client client, boolean ownsClient, String bucket, String prefix, BlobStoreOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    this.prefix = p.isEmpty() ? "" : p + "/";
    this.baseUri = "s3://" + bucket + (p.isEmpty() ? "" : "/" + p);
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Opens a store at {@code s3://bucket[/prefix]} with a client built from {@code options}; the
   * store owns and closes the client. Fails early if the bucket is not reachable.
   */
  public static S3BlobStore open(URI baseUri, BlobStoreOptions options) {
    String bucket = baseUri.getAuthority();
    if (!"s3".equals(baseUri.getScheme()) || bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("Not an s3://bucket[/prefix] URI: " + baseUri);
    }
    S3Client client = buildClient(options);
    S3BlobStore store = new S3BlobStore(client, true, bucket, baseUri.getPath(), options);
    try {
      client.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      store.close(); // do not leak the client's connection pool
      throw new BlobException(
          store.baseUri, "Cannot open blob store " + store.baseUri + ": bucket '" + bucket
              + "' is not accessible (" + e.getMessage() + ")", e);
    }
    return store;
  }

  /** A store over a caller-owned client (not closed by {@link #close()}). */
  public static S3BlobStore withClient(S3Client client, String bucket, String prefix, BlobStoreOptions options) {
    return new S3BlobStore(client, false, bucket, prefix, options);
  }

  /** An {@link S3Client} configured from {@code options} (endpoint, region, path style, credentials). */
  public static S3Client buildClient(BlobStoreOptions options) {
    AwsCredentialsProvider credentials =
        options.s3AccessKeyId() != null
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(options.s3AccessKeyId(), options.s3SecretAccessKey()))
            : DefaultCredentialsProvider.builder().build();
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(options.s3Region()))
            .credentialsProvider(credentials)
            .forcePathStyle(options.s3PathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (options.s3Endpoint() != null) {
      builder.endpointOverride(options.s3Endpoint());
    }
    return builder.build();
  }

  @Override
  public String baseUri() {
    return baseUri;
  }

  @Override
  public StoredBlob put(byte[] data, String mediaType) {
    Objects.requireNonNull(data, "data");
    String type = BlobKeys.normalizeMediaType(mediaType);
    String sha = Sha256.hex(data);
    String key = prefix + BlobKeys.relativeKey(sha, type);
    StoredBlob blob = new StoredBlob(uriOf(key), sha, data.length, type);
    try {
      if (isIntact(key, sha, data.length)) {
        return blob;
      }
      client.putObject(
          b -> b.bucket(bucket).key(key).contentType(type).contentLength((long) data.length)
              .metadata(Map.of(SHA_METADATA, sha)),
          RequestBody.fromBytes(data));
      LOG.debug("Stored {} ({} bytes)", blob.uri(), data.length);
      return blob;
    } catch (SdkException e) {
      throw new BlobException(blob.uri(), "Cannot store blob " + blob.uri() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public StoredBlob put(Path file, String mediaType) {
    String type = BlobKeys.normalizeMediaType(mediaType);
    long size;
    FileTime modified;
    String sha;
    try {
      size = Files.size(file);
      modified = Files.getLastModifiedTime(file);
      sha = Sha256.hex(file);
    } catch (IOException e) {
      throw new BlobException(baseUri, "Cannot read " + file + " to store it in " + baseUri + ": " + e, e);
    }
    String key = prefix + BlobKeys.relativeKey(sha, type);
    StoredBlob blob = new StoredBlob(uriOf(key), sha, size, type);
    try {
      if (isIntact(key, sha, size)) {
        return blob;
      }
      if (size > options.multipartThresholdBytes()) {
        multipartUpload(file, key, blob);
      } else {
        client.putObject(
            b -> b.bucket(bucket).key(key).contentType(type).contentLength(size)
                .metadata(Map.of(SHA_METADATA, sha)),
            RequestBody.fromFile(file));
      }
      if (Files.size(file) != size || !Files.getLastModifiedTime(file).equals(modified)) {
        deleteQuietly(key);
        throw new BlobException(blob.uri(), "File " + file + " changed while it was stored as " + blob.uri());
      }
      LOG.debug("Stored {} ({} bytes) from {}", blob.uri(), size, file);
      return blob;
    } catch (SdkException | IOException e) {
      throw new BlobException(blob.uri(), "Cannot store " + file + " as " + blob.uri() + ": " + e.getMessage(), e);
    }
  }

  // One part buffered at a time; re-hashes while reading so a file that changed since the first
  // hashing pass is caught before the upload completes.
  private void multipartUpload(Path file, String key, StoredBlob blob) throws IOException {
    long size = blob.size();
    long partSize = Math.max(options.multipartPartBytes(), (size + MAX_PARTS - 1) / MAX_PARTS);
    String uploadId =
        client.createMultipartUpload(
            b -> b.bucket(bucket).key(key).contentType(blob.mediaType())
                .metadata(Map.of(SHA_METADATA, blob.sha256()))).uploadId();
    boolean completed = false;
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = Sha256.newDigest();
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buffer = new byte[(int) Math.min(partSize, Integer.MAX_VALUE - 8)];
      for (int partNumber = 1; ; partNumber++) {
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n == 0 && partNumber > 1) {
          break;
        }
        digest.update(buffer, 0, n);
        int pn = partNumber;
        // fromBytes copies, so the buffer can be reused for the next part.
        String etag =
            client.uploadPart(
                b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(pn).contentLength((long) n),
                RequestBody.fromBytes(n == buffer.length ? buffer : Arrays.copyOf(buffer, n))).eTag();
        parts.add(CompletedPart.builder().partNumber(pn).eTag(etag).build());
        if (n < buffer.length) {
          break;
        }
      }
      String actual = Sha256.toHex(digest);
      if (!actual.equals(blob.sha256())) {
        throw new BlobException(blob.uri(), "File " + file + " changed while it was stored as " + blob.uri());
      }
      client.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
      completed = true;
    } finally {
      if (!completed) {
        try {
          client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
          LOG.warn("Cannot abort multipart upload {} of {}: {}", uploadId, blob.uri(), e.toString());
        }
      }
    }
  }

  // Reuses an existing object only if its size, recorded hash and actual content all match
  // (content is re-hashed, streamed): a damaged object is overwritten, never trusted. This costs
  // a read only on the rare duplicate put (a retry after a crash).
  private boolean isIntact(String key, String sha, long size) {
    HeadObjectResponse head;
    try {
      head = client.headObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
    if (head.contentLength() == size && sha.equals(head.metadata().get(SHA_METADATA))) {
      try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(key))) {
        if (Sha256.hex(in).equals(sha)) {
          return true;
        }
      } catch (NoSuchKeyException e) {
        return false; // deleted concurrently (retention)
      } catch (IOException e) {
        LOG.warn("Cannot re-read existing blob {}: {}; overwriting it", uriOf(key), e.toString());
        return false;
      }
    }
    LOG.warn("Blob {} exists but does not match its key; overwriting it", uriOf(key));
    return false;
  }

  @Override
  public byte[] get(String uri, String sha256) {
    Sha256.requireHex(sha256, "expected sha256 of " + uri);
    String key = keyOf(uri);
    try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(key))) {
      Long length = in.response().contentLength();
      return VerifiedReads.readAll(uri, sha256, in, length == null ? 0 : length);
    } catch (SdkException e) {
      throw translate(uri, "read", e);
    } catch (IOException e) {
      throw new BlobException(uri, "Cannot read blob " + uri + ": " + e, e);
    }
  }

  @Override
  public void download(String uri, String sha256, Path target) {
    Sha256.requireHex(sha256, "expected sha256 of " + uri);
    String key = keyOf(uri);
    try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(key))) {
      VerifiedReads.toFile(uri, sha256, in, target);
    } catch (SdkException e) {
      throw translate(uri, "download", e);
    } catch (IOException e) {
      throw new BlobException(uri, "Cannot download blob " + uri + " to " + target + ": " + e, e);
    }
  }

  @Override
  public boolean exists(String uri) {
    String key = keyOf(uri);
    try {
      client.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw translate(uri, "check", e);
    } catch (SdkException e) {
      throw translate(uri, "check", e);
    }
  }

  @Override
  public boolean delete(String uri) {
    boolean existed = exists(uri);
    try {
      client.deleteObject(b -> b.bucket(bucket).key(keyOf(uri)));
      return existed;
    } catch (SdkException e) {
      throw translate(uri, "delete", e);
    }
  }

  @Override
  public Stream<BlobInfo> list() {
    try {
      return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(this::info)
          .filter(Objects::nonNull);
    } catch (SdkException e) {
      throw translate(baseUri, "list", e);
    }
  }

  private BlobInfo info(S3Object o) {
    BlobKeys.Key key = BlobKeys.parse(o.key().substring(prefix.length()));
    if (key == null) {
      return null;
    }
    return new BlobInfo(new StoredBlob(uriOf(o.key()), key.sha256(), o.size(), key.mediaType()), o.lastModified());
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "S3BlobStore[" + baseUri + "]";
  }

  /** The object key of a blob URI, which must lie under this store's base URI. */
  String keyOf(String uri) {
    Objects.requireNonNull(uri, "uri");
    String head = "s3://" + bucket + "/";
    if (!uri.startsWith(head) || !uri.startsWith(prefix, head.length()) || uri.length() == head.length() + prefix.length()) {
      throw new IllegalArgumentException("Blob URI " + uri + " is not under store " + baseUri);
    }
    return uri.substring(head.length());
  }

  private String uriOf(String key) {
    return "s3://" + bucket + "/" + key;
  }

  private void deleteQuietly(String key) {
    try {
      client.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      LOG.warn("Cannot delete {}: {}", uriOf(key), e.toString());
    }
  }

  private static BlobException translate(String uri, String action, SdkException e) {
    if (e instanceof NoSuchKeyException
        || (e instanceof S3Exception s3 && s3.statusCode() == 404)) {
      return new BlobNotFoundException(uri, e);
    }
    return new BlobException(uri, "Cannot " + action + " blob " + uri + ": " + e.getMessage(), e);
  }
}
