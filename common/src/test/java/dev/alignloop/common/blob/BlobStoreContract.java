package dev.alignloop.common.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour every {@link BlobStore} backend must show; subclasses supply the backend. */
abstract class BlobStoreContract {

  @TempDir Path tmp;
  BlobStore store;

  /** A fresh, empty store. */
  abstract BlobStore newStore() throws Exception;

  /** Replaces the blob's content behind the store's back (keeping its key and metadata). */
  abstract void tamper(StoredBlob blob, byte[] content) throws Exception;

  /** Regex every URI of {@link #store} must match, up to the fan-out directory. */
  abstract String uriPrefixPattern();

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void putThenGetReturnsTheSameBytesUnderAContentKey() {
    byte[] png = bytes(10_000, 1);
    StoredBlob blob = store.put(png, "image/png");

    String sha = Sha256.hex(png);
    assertEquals(sha, blob.sha256());
    assertEquals(10_000, blob.size());
    assertEquals("image/png", blob.mediaType());
    assertTrue(
        blob.uri().matches(uriPrefixPattern() + sha.substring(0, 2) + "/" + sha + "\\.png"),
        blob.uri());
    assertArrayEquals(png, store.get(blob));
    assertTrue(store.exists(blob.uri()));
  }

  @Test
  void putIsIdempotentAndTheExtensionFollowsTheMediaType() {
    byte[] data = "same content".getBytes(StandardCharsets.UTF_8);
    StoredBlob first = store.put(data, "image/png");
    StoredBlob again = store.put(data, "IMAGE/PNG; charset=binary");
    assertEquals(first, again);

    StoredBlob json = store.put(data, "application/json");
    assertNotEquals(first.uri(), json.uri());
    assertTrue(json.uri().endsWith(".json"));
    assertTrue(store.put(data, "application/x-unknown").uri().endsWith(".bin"));
  }

  @Test
  void putOfAFileStreamsItAndMatchesPutOfItsBytes() throws Exception {
    byte[] data = bytes(300_000, 2);
    Path file = tmp.resolve("unet.safetensors");
    Files.write(file, data);

    StoredBlob fromFile = store.put(file, "application/octet-stream");
    assertEquals(store.put(data, "application/octet-stream"), fromFile);
    assertArrayEquals(data, store.get(fromFile.uri(), Sha256.hex(data)));
  }

  @Test
  void downloadWritesTheVerifiedContent() throws Exception {
    byte[] data = bytes(70_000, 3);
    StoredBlob blob = store.put(data, "application/octet-stream");
    Path target = tmp.resolve("out/model.bin");

    store.download(blob.uri(), blob.sha256(), target);
    assertArrayEquals(data, Files.readAllBytes(target));
  }

  @Test
  void tamperedBlobIsRejectedOnEveryReadPath() throws Exception {
    byte[] original = bytes(5_000, 4);
    StoredBlob blob = store.put(original, "image/png");
    byte[] evil = bytes(5_000, 5);
    tamper(blob, evil);

    BlobIntegrityException e = assertThrows(BlobIntegrityException.class, () -> store.get(blob));
    assertEquals(blob.uri(), e.uri());
    assertEquals(blob.sha256(), e.expectedSha256());
    assertEquals(Sha256.hex(evil), e.actualSha256());
    assertTrue(e.getMessage().contains(blob.uri()) && e.getMessage().contains(blob.sha256())
        && e.getMessage().contains(Sha256.hex(evil)), e.getMessage());

    Path downloads = Files.createDirectories(tmp.resolve("downloads"));
    Path target = downloads.resolve("target.png");
    Files.write(target, new byte[] {42});
    assertThrows(BlobIntegrityException.class, () -> store.download(blob.uri(), blob.sha256(), target));
    assertArrayEquals(new byte[] {42}, Files.readAllBytes(target), "target must be left as it was");
    try (Stream<Path> files = Files.list(downloads)) {
      assertEquals(1, files.count(), "no temp file may be left behind");
    }
  }

  @Test
  void aDamagedBlobIsRepairedByPuttingTheContentAgain() throws Exception {
    byte[] original = bytes(4_000, 6);
    StoredBlob blob = store.put(original, "image/png");
    tamper(blob, bytes(4_000, 7));

    assertEquals(blob, store.put(original, "image/png"));
    assertArrayEquals(original, store.get(blob));
  }

  @Test
  void wrongExpectedHashIsRejected() {
    StoredBlob blob = store.put(bytes(100, 8), "image/png");
    String other = Sha256.hex(new byte[] {1});
    BlobIntegrityException e =
        assertThrows(BlobIntegrityException.class, () -> store.get(blob.uri(), other));
    assertEquals(other, e.expectedSha256());
    assertEquals(blob.sha256(), e.actualSha256());
  }

  @Test
  void missingBlobIsReportedWithItsUri() throws Exception {
    StoredBlob blob = store.put(bytes(100, 9), "image/png");
    assertTrue(store.delete(blob.uri()));
    assertFalse(store.delete(blob.uri()));
    assertFalse(store.exists(blob.uri()));

    BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.get(blob));
    assertEquals(blob.uri(), e.uri());
    assertTrue(e.getMessage().contains(blob.uri()), e.getMessage());
    assertThrows(BlobNotFoundException.class,
        () -> store.download(blob.uri(), blob.sha256(), tmp.resolve("x")));
  }

  @Test
  void uriOutsideTheStoreIsRefused() {
    String sha = Sha256.hex(new byte[0]);
    assertThrows(IllegalArgumentException.class, () -> store.get("http://example.com/x.png", sha));
    assertThrows(IllegalArgumentException.class, () -> store.exists("s3://elsewhere/ab/cd.png"));
    assertThrows(IllegalArgumentException.class, () -> store.get("file:/elsewhere/ab/cd.png", sha));
  }

  @Test
  void concurrentPutsOfTheSameContentAgreeAndStoreOneBlob() throws Exception {
    byte[] data = bytes(200_000, 10);
    Path file = tmp.resolve("same.bin");
    Files.write(file, data);
    int threads = 6;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<StoredBlob>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        boolean viaFile = i % 2 == 0;
        Callable<StoredBlob> put =
            () -> {
              start.await(10, TimeUnit.SECONDS);
              return viaFile ? store.put(file, "image/png") : store.put(data, "image/png");
            };
        results.add(pool.submit(put));
      }
      StoredBlob first = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<StoredBlob> r : results) {
        assertEquals(first, r.get(30, TimeUnit.SECONDS));
      }
      assertArrayEquals(data, store.get(first));
      try (Stream<BlobInfo> all = store.list()) {
        assertEquals(List.of(first), all.map(BlobInfo::blob).toList());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listShowsEveryBlobWithSizeTypeAndTime() {
    StoredBlob a = store.put(bytes(10, 11), "image/png");
    StoredBlob b = store.put(bytes(20, 12), "image/jpeg");
    StoredBlob c = store.put(bytes(30, 13), "application/octet-stream");
    List<StoredBlob> listed;
    try (Stream<BlobInfo> all = store.list()) {
      listed = all.peek(i -> assertTrue(i.lastModified().getEpochSecond() > 0)).map(BlobInfo::blob).toList();
    }
    assertEquals(3, listed.size());
    assertTrue(listed.containsAll(List.of(a, b, c)), listed.toString());

    store.delete(b.uri());
    try (Stream<BlobInfo> all = store.list()) {
      assertEquals(2, all.count());
    }
  }
}
