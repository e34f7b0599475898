package dev.alignloop.common.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoresTest {

  @TempDir Path tmp;

  @Test
  void unknownSchemeNamesTheUriAndTheSupportedSchemes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> BlobStores.open("gs://bucket/x", BlobStoreOptions.defaults()));
    assertTrue(e.getMessage().contains("gs://bucket/x"), e.getMessage());
    assertTrue(e.getMessage().contains("[file, s3]"), e.getMessage());
  }

  @Test
  void fileUrisInEitherFormOpenAFileStore() {
    for (String uri : new String[] {"file:" + tmp + "/a", "file://" + tmp + "/a", tmp + "/a"}) {
      try (BlobStore store = BlobStores.open(uri, BlobStoreOptions.defaults())) {
        assertInstanceOf(FileBlobStore.class, store);
        assertEquals("file:" + tmp + "/a", store.baseUri());
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> BlobStores.open("file:relative/dir", BlobStoreOptions.defaults()));
  }

  @Test
  void optionsComeFromPropertiesOrEnvironmentNamesAndHideTheSecret() {
    BlobStoreOptions o =
        BlobStoreOptions.from(
            Map.of(
                "ALIGNLOOP_BLOB_S3_ENDPOINT", "http://minio:9000",
                "alignloop.blob.s3.path.style", "true",
                "alignloop.blob.s3.access.key.id", "id",
                "ALIGNLOOP_BLOB_S3_SECRET_ACCESS_KEY", "s3cr3t"));
    assertEquals(URI.create("http://minio:9000"), o.s3Endpoint());
    assertTrue(o.s3PathStyle());
    assertEquals("us-east-1", o.s3Region());
    assertEquals(64L << 20, o.multipartThresholdBytes());
    assertTrue(!o.toString().contains("s3cr3t"), o.toString());
  }

  @Test
  void optionsValidationNamesTheKeys() {
    ConfigException e =
        assertThrows(ConfigException.class,
            () -> BlobStoreOptions.from(Map.of("alignloop.blob.s3.access.key.id", "id")));
    assertTrue(e.getMessage().contains("alignloop.blob.s3.access.key.id")
        && e.getMessage().contains("alignloop.blob.s3.secret.access.key"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> BlobStoreOptions.from(Map.of("alignloop.blob.s3.multipart.part.bytes", "1024")));
    assertTrue(e.getMessage().contains("alignloop.blob.s3.multipart.part.bytes"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> BlobStoreOptions.from(Map.of("alignloop.blob.s3.endpoint", "minio:9000")));
    assertTrue(e.getMessage().contains("alignloop.blob.s3.endpoint"), e.getMessage());
  }

  @Test
  void keysRoundTrip() {
    String sha = "ab" + "0".repeat(62);
    assertEquals("ab/" + sha + ".png", BlobKeys.relativeKey(sha, "image/png"));
    assertEquals("image/png", BlobKeys.parse("ab/" + sha + ".png").mediaType());
    assertEquals(null, BlobKeys.parse("cd/" + sha + ".png"));
    assertEquals(null, BlobKeys.parse(".staging/.tmp-1"));
  }
}
