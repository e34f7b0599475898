package dev.alignloop.scorer;

import dev.alignloop.common.blob.BlobIntegrityException;
import dev.alignloop.common.blob.BlobNotFoundException;
import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.image.Png;
import dev.alignloop.common.image.PngFormatException;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.ImagePair;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches both images of each pair from the blob store (SHA-256 verified) and decodes them
 * strictly at their declared size, several pairs in parallel. Content that can never load (no
 * blob, wrong checksum, not a PNG, wrong size) becomes a {@link Rejected} naming the pair, the
 * image and its URI; anything else (the store unreachable, an I/O error) is thrown, because it
 * may work on retry.
 */
final class PairLoader implements AutoCloseable {

  /** Reason codes (the prefix of every dead letter's reason). */
  static final String BLOB_MISSING = "blob.missing";
  static final String BLOB_CHECKSUM = "blob.checksum";
  static final String BLOB_URI = "blob.uri";
  static final String IMAGE_MEDIA_TYPE = "image.media-type";
  static final String IMAGE_DECODE = "image.decode";

  private static final String PNG = "image/png";

  private final BlobStore blobs;
  private final ExecutorService pool; // null: load on the calling thread
  private final int threads;

  PairLoader(BlobStore blobs, int threads) {
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    AtomicInteger n = new AtomicInteger();
    // the calling thread is one of the loaders: threads - 1 helpers
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "alignloop-scorer-load-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** What became of one pair. */
  sealed interface Loaded permits Images, Rejected {}

  private static final Rejected NOT_LOADED = new Rejected("not loaded", null);

  /** Both images, decoded. */
  record Images(BufferedImage imageA, BufferedImage imageB) implements Loaded {}

  /** The pair can never load; {@code reason} starts with a reason code. */
  record Rejected(String reason, Throwable cause) implements Loaded {}

  /**
   * Loads every pair; one result per pair, in order. A null pair (one the caller rejected
   * already) is not loaded: its result is a {@link Rejected} that nobody reads.
   *
   * @throws RuntimeException a transient failure (after every pair's load has ended, so no
   *     task outlives the batch)
   */
  List<Loaded> loadAll(List<ImagePair> pairs) {
    int n = pairs.size();
    if (pool == null || n < 2) {
      List<Loaded> out = new ArrayList<>(n);
      for (ImagePair p : pairs) {
        out.add(loadOrSkip(p));
      }
      return out;
    }
    // The calling thread works too, and every worker takes the next pair from a shared counter:
    // threads - 1 hand-offs per batch instead of one task per pair, and no thread sits waiting
    // while there is work (on a busy machine a woken pool thread may wait for a core).
    Loaded[] out = new Loaded[n];
    RuntimeException[] failures = new RuntimeException[n];
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int i; (i = next.getAndIncrement()) < n; ) {
        try {
          out[i] = loadOrSkip(pairs.get(i));
        } catch (RuntimeException e) {
          failures[i] = e;
        }
      }
    };
    int helpers = Math.min(threads - 1, n - 1);
    List<Future<?>> futures = new ArrayList<>(helpers);
    for (int k = 0; k < helpers; k++) {
      futures.add(pool.submit(worker));
    }
    worker.run();
    boolean interrupted = false;
    for (Future<?> f : futures) {
      while (true) {
        try {
          f.get(); // workers catch their RuntimeExceptions: get() only waits for the pair in hand
          break;
        } catch (InterruptedException e) {
          interrupted = true; // finish waiting: no task outlives the batch
        } catch (ExecutionException e) {
          throw new IllegalStateException("scorer load worker failed", e.getCause());
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    RuntimeException first = firstOf(failures);
    if (first != null) {
      throw first;
    }
    return Arrays.asList(out);
  }

  private Loaded loadOrSkip(ImagePair p) {
    return p == null ? NOT_LOADED : load(p);
  }

  /** Whether {@link #loadInBackground} has threads besides the caller's. */
  boolean canLoadInBackground() {
    return pool != null;
  }

  /**
   * Loads {@code pairs} on the helper threads only (the caller is free to do something else, e.g.
   * score the previous run); the future's {@link #await} gives the results as {@link #loadAll}
   * would, or throws its transient failure.
   *
   * @throws IllegalStateException without helper threads ({@link #canLoadInBackground()})
   */
  Future<List<Loaded>> loadInBackground(List<ImagePair> pairs) {
    if (pool == null) {
      throw new IllegalStateException("no load threads besides the caller's");
    }
    int n = pairs.size();
    Loaded[] out = new Loaded[n];
    RuntimeException[] failures = new RuntimeException[n];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger running = new AtomicInteger(Math.min(threads - 1, Math.max(1, n)));
    CompletableFuture<List<Loaded>> result = new CompletableFuture<>();
    Runnable worker = () -> {
      try {
        for (int i; (i = next.getAndIncrement()) < n; ) {
          try {
            out[i] = loadOrSkip(pairs.get(i));
          } catch (RuntimeException e) {
            failures[i] = e;
          }
        }
      } finally {
        if (running.decrementAndGet() == 0) {
          RuntimeException first = firstOf(failures);
          if (first != null) {
            result.completeExceptionally(first);
          } else {
            result.complete(Arrays.asList(out));
          }
        }
      }
    };
    for (int k = running.get(); k > 0; k--) {
      pool.execute(worker);
    }
    return result;
  }

  /** The result of {@link #loadInBackground}; rethrows its failure as is. */
  static List<Loaded> await(Future<List<Loaded>> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true; // finish waiting: no load outlives the batch
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new IllegalStateException("scorer load worker failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for {@code f} (if not null) and ignores its outcome: cleanup after another failure. */
  static void awaitQuietly(Future<List<Loaded>> f) {
    if (f == null) {
      return;
    }
    try {
      await(f);
    } catch (RuntimeException ignored) {
      // the batch is failing for another reason already
    }
  }

  private static RuntimeException firstOf(RuntimeException[] failures) {
    RuntimeException first = null;
    for (RuntimeException e : failures) {
      if (e == null) {
        continue;
      }
      if (first == null) {
        first = e;
      } else if (first != e) {
        first.addSuppressed(e);
      }
    }
    return first;
  }

  /** Loads one pair (A, then B); a rejection of A skips B. */
  Loaded load(ImagePair pair) {
    Object a = image(pair, "A", pair.getImageA());
    if (a instanceof Rejected r) {
      return r;
    }
    Object b = image(pair, "B", pair.getImageB());
    if (b instanceof Rejected r) {
      return r;
    }
    return new Images((BufferedImage) a, (BufferedImage) b);
  }

  /** A {@link BufferedImage}, or a {@link Rejected}. */
  private Object image(ImagePair pair, String which, BlobRef ref) {
    String where = "pair " + pair.getPairId() + " image " + which + " (" + ref.getUri() + ")";
    if (!PNG.equals(ref.getMediaType())) {
      return new Rejected(IMAGE_MEDIA_TYPE + ": " + where + " is " + ref.getMediaType() + ", only " + PNG
          + " is accepted", null);
    }
    byte[] bytes;
    try {
      bytes = blobs.get(ref.getUri(), ref.getSha256());
    } catch (BlobNotFoundException e) {
      return new Rejected(BLOB_MISSING + ": " + where, e);
    } catch (BlobIntegrityException e) {
      return new Rejected(BLOB_CHECKSUM + ": " + where, e);
    } catch (IllegalArgumentException e) { // a URI outside this store, or malformed
      return new Rejected(BLOB_URI + ": " + where, e);
    }
    try {
      return Png.decode(bytes, ref.getWidth(), ref.getHeight());
    } catch (PngFormatException e) {
      return new Rejected(IMAGE_DECODE + ": " + where, e);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
