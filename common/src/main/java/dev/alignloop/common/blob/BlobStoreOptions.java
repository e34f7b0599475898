package dev.alignloop.common.blob;

import dev.alignloop.common.config.ConfigException;
import dev.alignloop.common.config.ConfigKey;
import dev.alignloop.common.config.ConfigKey.Type;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Backend settings for {@link BlobStores#open}. Only S3 reads the {@code s3*} fields. Without
 * explicit keys, S3 credentials come from the AWS default chain ({@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY}, profiles, container credentials). {@link #toString()} masks the
 * secret.
 *
 * @param s3Endpoint endpoint override for S3-compatible servers (MinIO, Ceph), or null for AWS
 * @param s3Region signing region
 * @param s3PathStyle path-style addressing ({@code http://host/bucket/key}), which most
 *     S3-compatible servers need
 * @param s3AccessKeyId static access key, or null for the default chain
 * @param s3SecretAccessKey static secret key, or null for the default chain
 * @param multipartThresholdBytes file puts larger than this use multipart upload
 * @param multipartPartBytes multipart part size (S3 minimum 5 MiB)
 * @param fsync whether the file backend fsyncs (off only for throwaway test data)
 */
public record BlobStoreOptions(
    URI s3Endpoint,
    String s3Region,
    boolean s3PathStyle,
    String s3AccessKeyId,
    String s3SecretAccessKey,
    long multipartThresholdBytes,
    long multipartPartBytes,
    boolean fsync) {

  private static final long MIB = 1024L * 1024L;
  /** S3's smallest allowed multipart part (all but the last). */
  public static final long MIN_PART_BYTES = 5 * MIB;

  /** S3 endpoint override. */
  public static final ConfigKey S3_ENDPOINT =
      new ConfigKey(
          "alignloop.blob.s3.endpoint",
          Type.URI,
          null,
          "Endpoint of an S3-compatible server, e.g. http://minio:9000. Unset: AWS S3.");
  /** S3 region. */
  public static final ConfigKey S3_REGION =
      new ConfigKey(
          "alignloop.blob.s3.region", Type.STRING, "us-east-1", "Signing region for S3 requests.");
  /** Path-style addressing. */
  public static final ConfigKey S3_PATH_STYLE =
      new ConfigKey(
          "alignloop.blob.s3.path.style",
          Type.BOOLEAN,
          "false",
          "Use path-style URLs (http://host/bucket/key); needed by most S3-compatible servers.");
  /** Static access key id. */
  public static final ConfigKey S3_ACCESS_KEY_ID =
      new ConfigKey(
          "alignloop.blob.s3.access.key.id",
          Type.STRING,
          null,
          "Static access key id. Unset: the AWS default credentials chain.");
  /** Static secret. */
  public static final ConfigKey S3_SECRET_ACCESS_KEY =
      new ConfigKey(
          "alignloop.blob.s3.secret.access.key",
          Type.PASSWORD,
          null,
          "Static secret access key (set together with the key id). Never logged.");
  /** Multipart threshold. */
  public static final ConfigKey MULTIPART_THRESHOLD =
      new ConfigKey(
          "alignloop.blob.s3.multipart.threshold.bytes",
          Type.LONG,
          String.valueOf(64 * MIB),
          "File puts larger than this many bytes use S3 multipart upload.");
  /** Multipart part size. */
  public static final ConfigKey MULTIPART_PART =
      new ConfigKey(
          "alignloop.blob.s3.multipart.part.bytes",
          Type.LONG,
          String.valueOf(16 * MIB),
          "Multipart part size in bytes (at least 5 MiB); one part is buffered in memory.");
  /** fsync switch. */
  public static final ConfigKey FSYNC =
      new ConfigKey(
          "alignloop.blob.fsync",
          Type.BOOLEAN,
          "true",
          "Whether the file backend fsyncs blobs and directories after writing.");

  /** All keys, in documentation order. */
  public static final List<ConfigKey> ALL =
      List.of(
          S3_ENDPOINT,
          S3_REGION,
          S3_PATH_STYLE,
          S3_ACCESS_KEY_ID,
          S3_SECRET_ACCESS_KEY,
          MULTIPART_THRESHOLD,
          MULTIPART_PART,
          FSYNC);

  /** Validates; see the class doc. */
  public BlobStoreOptions {
    if (s3Endpoint != null
        && (!s3Endpoint.isAbsolute()
            || !("http".equals(s3Endpoint.getScheme()) || "https".equals(s3Endpoint.getScheme()))
            || s3Endpoint.getHost() == null)) {
      throw new ConfigException(S3_ENDPOINT, s3Endpoint.toString(), "must be an http(s)://host[:port] URL");
    }
    if (s3Region == null || s3Region.isBlank()) {
      s3Region = S3_REGION.defaultValue();
    }
    if ((s3AccessKeyId == null) != (s3SecretAccessKey == null)) {
      throw ConfigException.conflict(
          S3_ACCESS_KEY_ID,
          s3AccessKeyId,
          S3_SECRET_ACCESS_KEY,
          "set both or neither (neither: the AWS default credentials chain)");
    }
    if (multipartPartBytes < MIN_PART_BYTES) {
      throw new ConfigException(
          MULTIPART_PART, String.valueOf(multipartPartBytes), "must be at least " + MIN_PART_BYTES);
    }
    if (multipartThresholdBytes < multipartPartBytes) {
      throw ConfigException.conflict(
          MULTIPART_THRESHOLD,
          String.valueOf(multipartThresholdBytes),
          MULTIPART_PART,
          "the threshold must be at least the part size " + multipartPartBytes);
    }
  }

  /** Defaults: AWS endpoint and credentials chain, 64 MiB threshold, 16 MiB parts, fsync on. */
  public static BlobStoreOptions defaults() {
    return from(Map.of());
  }

  /** Reads options from property names and/or their environment-variable forms. */
  public static BlobStoreOptions from(Map<String, String> config) {
    String endpoint = S3_ENDPOINT.valueOrDefault(config);
    URI endpointUri;
    try {
      endpointUri = endpoint == null ? null : URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(S3_ENDPOINT, endpoint, e.getMessage());
    }
    return new BlobStoreOptions(
        endpointUri,
        S3_REGION.valueOrDefault(config),
        S3_PATH_STYLE.booleanValue(config),
        S3_ACCESS_KEY_ID.valueOrDefault(config),
        S3_SECRET_ACCESS_KEY.valueOrDefault(config),
        MULTIPART_THRESHOLD.longValue(config),
        MULTIPART_PART.longValue(config),
        FSYNC.booleanValue(config));
  }

  /** Options for an S3-compatible server at {@code endpoint} with static credentials. */
  public static BlobStoreOptions s3Compatible(URI endpoint, String accessKeyId, String secretAccessKey) {
    BlobStoreOptions d = defaults();
    return new BlobStoreOptions(
        endpoint, d.s3Region(), true, accessKeyId, secretAccessKey,
        d.multipartThresholdBytes(), d.multipartPartBytes(), d.fsync());
  }

  /** A copy with other multipart sizes. */
  public BlobStoreOptions withMultipart(long thresholdBytes, long partBytes) {
    return new BlobStoreOptions(
        s3Endpoint, s3Region, s3PathStyle, s3AccessKeyId, s3SecretAccessKey,
        thresholdBytes, partBytes, fsync);
  }

  /** A copy with fsync switched. */
  public BlobStoreOptions withFsync(boolean on) {
    return new BlobStoreOptions(
        s3Endpoint, s3Region, s3PathStyle, s3AccessKeyId, s3SecretAccessKey,
        multipartThresholdBytes, multipartPartBytes, on);
  }

  /** Options with the secret masked. */
  @Override
  public String toString() {
    return "BlobStoreOptions[s3Endpoint=" + s3Endpoint + ", s3Region=" + s3Region
        + ", s3PathStyle=" + s3PathStyle + ", s3AccessKeyId=" + s3AccessKeyId
        + ", s3SecretAccessKey=" + (s3SecretAccessKey == null ? null : "[hidden]")
        + ", multipartThresholdBytes=" + multipartThresholdBytes
        + ", multipartPartBytes=" + multipartPartBytes + ", fsync=" + fsync + "]";
  }
}
