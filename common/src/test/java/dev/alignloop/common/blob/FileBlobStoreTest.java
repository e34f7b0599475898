package dev.alignloop.common.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileBlobStoreTest extends BlobStoreContract {

  Path root;

  @Override
  BlobStore newStore() {
    root = tmp.resolve("blobs");
    return BlobStores.open(root.toUri().toString(), BlobStoreOptions.defaults());
  }

  @Override
  void tamper(StoredBlob blob, byte[] content) throws Exception {
    Files.write(Path.of(URI.create(blob.uri())), content);
  }

  @Override
  String uriPrefixPattern() {
    return "\\Qfile:" + root.toAbsolutePath() + "/\\E";
  }

  @Test
  void uriIsTheSingleSlashFileFormAndOpensAgainAsABaseUri() {
    StoredBlob blob = store.put(new byte[] {1, 2, 3}, "image/png");
    assertTrue(blob.uri().startsWith("file:/") && !blob.uri().startsWith("file://"), blob.uri());
    assertEquals("file:" + root.toAbsolutePath(), store.baseUri());

    try (BlobStore reopened = BlobStores.open(store.baseUri(), BlobStoreOptions.defaults())) {
      assertEquals(3, reopened.get(blob).length);
    }
    try (BlobStore plainPath = BlobStores.open(root.toString(), BlobStoreOptions.defaults())) {
      assertEquals(3, plainPath.get(blob).length);
    }
  }

  @Test
  void putsLeaveNoStagingFilesAndListSkipsForeignFiles() throws Exception {
    store.put(new byte[] {1}, "image/png");
    Path file = Files.write(tmp.resolve("f"), new byte[] {2});
    store.put(file, "image/png");
    Files.writeString(root.resolve("README.txt"), "not a blob");
    try (Stream<Path> staging = Files.list(root.resolve(FileBlobStore.STAGING_DIR))) {
      assertEquals(0, staging.count());
    }
    try (Stream<BlobInfo> all = store.list()) {
      assertEquals(2, all.count());
    }
  }

  @Test
  void pathsWithSpacesArePercentEncoded() {
    try (BlobStore spaced = new FileBlobStore(tmp.resolve("my blobs"), false)) {
      StoredBlob blob = spaced.put(new byte[] {7}, "image/png");
      assertTrue(blob.uri().contains("my%20blobs"), blob.uri());
      assertEquals(1, spaced.get(blob).length);
    }
  }
}
