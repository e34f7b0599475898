package dev.alignloop.common.blob;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.io.Sha256;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 backend against a real S3-compatible server: S3Proxy over jclouds' in-memory
 * "transient" blob store, in-process on 127.0.0.1 with AWS v2/v4 signatures.
 */
class S3BlobStoreTest extends BlobStoreContract {

  static final String ACCESS_KEY = "test-access";
  static final String SECRET_KEY = "test-secret-key";
  static final String BUCKET = "alignloop-test";
  static final AtomicInteger PREFIXES = new AtomicInteger();

  static BlobStoreContext jclouds;
  static S3Proxy proxy;
  static BlobStoreOptions options;
  static S3Client raw;

  String prefix;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    jclouds =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(jclouds.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(proxy.getState()));
    URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    options = BlobStoreOptions.s3Compatible(endpoint, ACCESS_KEY, SECRET_KEY);
    raw = S3BlobStore.buildClient(options);
    raw.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (raw != null) {
      raw.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
    if (jclouds != null) {
      jclouds.close();
    }
  }

  @Override
  BlobStore newStore() {
    prefix = "run/" + PREFIXES.incrementAndGet(); // each test lists only its own blobs
    return BlobStores.open("s3://" + BUCKET + "/" + prefix, options);
  }

  @Override
  void tamper(StoredBlob blob, byte[] content) {
    String key = blob.uri().substring(("s3://" + BUCKET + "/").length());
    // Same key and the same recorded hash: only re-hashing the content can notice.
    raw.putObject(
        b -> b.bucket(BUCKET).key(key).metadata(Map.of(S3BlobStore.SHA_METADATA, blob.sha256())),
        RequestBody.fromBytes(content));
  }

  @Override
  String uriPrefixPattern() {
    return "\\Qs3://" + BUCKET + "/" + prefix + "/\\E";
  }

  @Test
  void largeFilesUseMultipartUploadAndReadBackVerified() throws Exception {
    long part = BlobStoreOptions.MIN_PART_BYTES;
    try (BlobStore multipart =
        BlobStores.open("s3://" + BUCKET + "/multipart", options.withMultipart(part, part))) {
      byte[] data = bytes((int) (2 * part + 12_345), 20); // three parts, the last one short
      Path file = Files.write(tmp.resolve("checkpoint.safetensors"), data);

      StoredBlob blob = multipart.put(file, "application/octet-stream");
      assertEquals(Sha256.hex(data), blob.sha256());
      assertEquals(data.length, blob.size());
      Path back = tmp.resolve("back.safetensors");
      multipart.download(blob.uri(), blob.sha256(), back);
      assertArrayEquals(data, Files.readAllBytes(back));
    }
  }

  @Test
  void storeWithoutPrefixUsesTheBucketRoot() {
    try (BlobStore root = BlobStores.open("s3://" + BUCKET, options)) {
      StoredBlob blob = root.put(new byte[] {1, 2}, "image/png");
      String sha = blob.sha256();
      assertEquals("s3://" + BUCKET + "/" + sha.substring(0, 2) + "/" + sha + ".png", blob.uri());
      assertTrue(root.delete(blob.uri()));
    }
  }

  @Test
  void missingBucketFailsAtOpenNamingIt() {
    BlobException e =
        assertThrows(BlobException.class, () -> BlobStores.open("s3://no-such-bucket/x", options));
    assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
  }

  @Test
  void wrongCredentialsAreReported() {
    BlobStoreOptions bad = BlobStoreOptions.s3Compatible(options.s3Endpoint(), ACCESS_KEY, "wrong");
    assertThrows(BlobException.class, () -> BlobStores.open("s3://" + BUCKET, bad));
  }
}
