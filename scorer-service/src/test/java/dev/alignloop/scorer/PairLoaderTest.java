package dev.alignloop.scorer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.blob.BlobException;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.scorer.bench.ScorerBench;
import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PairLoader}'s work sharing: results in order, every pair loaded once, failures after all loads. */
class PairLoaderTest {

  @TempDir
  Path dir;

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @Test
  void loadsEveryPairOnceInOrderWithRejectionsInPlace() {
    try (BlobStore blobs = BlobStores.open(dir.toUri().toString(), BlobStoreOptions.defaults())) {
      List<ImagePair> pairs = new ArrayList<>();
      List<BufferedImage> images = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        BufferedImage a = ScorerBench.image(16, 2L * i);
        BufferedImage b = ScorerBench.image(16, 2L * i + 1);
        images.add(a);
        images.add(b);
        BlobRef refB = ScorerBench.store(blobs, b);
        if (i % 7 == 3) {
          refB.setSha256("00".repeat(32)); // tampered: rejected in place, not thrown
        }
        pairs.add(ScorerFixture.pair("p" + i, "a red circle", ScorerBench.store(blobs, a), refB));
      }
      Set<String> fetched = ConcurrentHashMap.newKeySet();
      AtomicInteger gets = new AtomicInteger();
      BlobStore counting = (BlobStore) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
            if (method.getName().equals("get")) {
              gets.incrementAndGet();
              fetched.add((String) args[0]);
            }
            return invoke(method, blobs, args);
          });
      for (int threads : new int[] {1, 2, 3}) {
        gets.set(0);
        try (PairLoader loader = new PairLoader(counting, threads)) {
          List<PairLoader.Loaded> out = loader.loadAll(pairs);
          assertEquals(pairs.size(), out.size());
          for (int i = 0; i < pairs.size(); i++) {
            if (i % 7 == 3) {
              PairLoader.Rejected r = assertInstanceOf(PairLoader.Rejected.class, out.get(i));
              assertTrue(r.reason().startsWith("blob.checksum: pair p" + i + " image B"), r.reason());
            } else {
              PairLoader.Images img = assertInstanceOf(PairLoader.Images.class, out.get(i), "pair " + i);
              assertArrayEquals(pixels(images.get(2 * i)), pixels(img.imageA()), "pair " + i + " A");
              assertArrayEquals(pixels(images.get(2 * i + 1)), pixels(img.imageB()), "pair " + i + " B");
            }
          }
          assertEquals(2 * pairs.size(), gets.get(), threads + " threads: each image fetched exactly once");
        }
      }
    }
  }

  @Test
  void aTransientFailureIsThrownOnlyAfterEveryPairWasTried() {
    try (BlobStore blobs = BlobStores.open(dir.toUri().toString(), BlobStoreOptions.defaults())) {
      List<ImagePair> pairs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        pairs.add(ScorerFixture.pair("p" + i, "a red circle", ScorerBench.store(blobs, ScorerBench.image(8, i)),
            ScorerBench.store(blobs, ScorerBench.image(8, 100 + i))));
      }
      String bad = pairs.get(4).getImageA().getUri();
      AtomicInteger gets = new AtomicInteger();
      BlobStore flaky = (BlobStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BlobStore.class},
          (proxy, method, args) -> {
            if (method.getName().equals("get")) {
              gets.incrementAndGet();
              if (bad.equals(args[0])) {
                throw new BlobException(bad, "connection reset");
              }
            }
            return invoke(method, blobs, args);
          });
      try (PairLoader loader = new PairLoader(flaky, 3)) {
        BlobException e = assertThrows(BlobException.class, () -> loader.loadAll(pairs));
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(19, gets.get(), "9 pairs x 2 images + the failing A (its B is not fetched)");
      }
    }
  }
}
