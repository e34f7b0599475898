package dev.alignloop.common.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe writes: readers see either the old content or the complete new content, never a
 * torn file or a half-written directory.
 *
 * <p>Recipe (POSIX): write to a temp name in the <em>same directory</em> (so the rename cannot
 * cross file systems), {@code fsync} the data, {@code rename} over the target, then {@code fsync}
 * the parent directory so the rename itself survives a power loss.
 */
public final class AtomicFiles {

  private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

  /** Prefix of every temp name we create; such names start with '.' so listings can skip them. */
  public static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  /** An I/O action that may throw {@link IOException}. */
  @FunctionalInterface
  public interface IOConsumer<T> {
    /** Performs the action. */
    void accept(T value) throws IOException;
  }

  /** Atomically replaces (or creates) {@code target} with {@code data}. */
  public static void write(Path target, byte[] data) throws IOException {
    write(target, out -> out.write(data));
  }

  /**
   * Atomically replaces (or creates) {@code target} with what {@code writer} writes. If the
   * writer throws (checked or unchecked), the temp file is removed, {@code target} is untouched
   * and the exception propagates.
   */
  public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
    Path parent = parentOf(target);
    Files.createDirectories(parent);
    Path temp = tempSibling(target);
    boolean moved = false;
    try {
      try (FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        writer.accept(out);
        out.flush();
        channel.force(true);
      }
      move(temp, target, true);
      moved = true;
      fsyncDirectory(parent);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Publishes a directory atomically: {@code writer} fills a fresh temp directory next to
   * {@code target}; every file in it is fsynced, the temp directory is renamed to {@code target}
   * and the parent is fsynced. Used for checkpoints, whose readers must never see a partial set
   * of files.
   *
   * @throws FileAlreadyExistsException if {@code target} exists (publications are immutable)
   */
  public static void publishDirectory(Path target, IOConsumer<Path> writer) throws IOException {
    Path parent = parentOf(target);
    Files.createDirectories(parent);
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "directory already published");
    }
    Path temp = tempSibling(target);
    Files.createDirectory(temp);
    boolean moved = false;
    try {
      writer.accept(temp);
      fsyncTree(temp);
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString(), null, "directory already published");
      }
      move(temp, target, false);
      moved = true;
      fsyncDirectory(parent);
    } finally {
      if (!moved) {
        deleteRecursively(temp);
      }
    }
  }

  /** A unique, hidden temp path in {@code target}'s directory. */
  public static Path tempSibling(Path target) {
    Path name = target.getFileName();
    String base = name == null ? "root" : name.toString();
    return parentOf(target).resolve(TEMP_PREFIX + base + "-" + UUID.randomUUID());
  }

  /** Forces a file's content (and metadata) to stable storage. */
  public static void fsync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Forces a directory's entries (e.g. a just-renamed file) to stable storage. Some platforms
   * (Windows) cannot open directories; there the rename is already durable enough and the
   * failure is only logged.
   */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("Cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  /** Deletes {@code path} and, if it is a directory, everything below it. Missing is fine. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(path)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }

  private static void fsyncTree(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.toList();
    }
    for (Path p : all) {
      if (Files.isRegularFile(p)) {
        fsync(p);
      } else if (Files.isDirectory(p)) {
        fsyncDirectory(p);
      }
    }
  }

  private static void move(Path from, Path to, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "File system does not support atomic rename from " + from + " to " + to, e);
    }
  }

  private static Path parentOf(Path target) {
    Path parent = target.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("No parent directory for " + target);
    }
    return parent;
  }
}
