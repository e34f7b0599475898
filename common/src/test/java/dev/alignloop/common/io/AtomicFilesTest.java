package dev.alignloop.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path tmp;

  List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeCreatesAndReplacesAndCreatesParents() throws Exception {
    Path target = tmp.resolve("a/b/config.json");
    AtomicFiles.write(target, "one".getBytes());
    AtomicFiles.write(target, "two".getBytes());
    assertEquals("two", Files.readString(target));
    assertEquals(List.of("config.json"), names(target.getParent()));
  }

  @Test
  void failedWriteLeavesTheOldContentAndNoTempFile() throws Exception {
    Path target = Files.writeString(tmp.resolve("state.json"), "old");
    IOException e =
        assertThrows(IOException.class,
            () -> AtomicFiles.write(target, out -> {
              out.write("half".getBytes());
              throw new IOException("disk full");
            }));
    assertEquals("disk full", e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> AtomicFiles.write(target, out -> {
          throw new IllegalStateException("bug");
        }));
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("state.json"), names(tmp));
  }

  @Test
  void publishDirectoryAppearsWholeOrNotAtAll() throws Exception {
    Path target = tmp.resolve("checkpoints/v1");
    AtomicFiles.publishDirectory(target, dir -> {
      Files.writeString(dir.resolve("config.json"), "{}");
      Files.createDirectories(dir.resolve("unet"));
      Files.writeString(dir.resolve("unet/model.safetensors"), "weights");
    });
    assertEquals("weights", Files.readString(target.resolve("unet/model.safetensors")));
    assertEquals(List.of("v1"), names(target.getParent()));

    // Published directories are immutable.
    assertThrows(FileAlreadyExistsException.class,
        () -> AtomicFiles.publishDirectory(target, dir -> {}));

    Path failed = tmp.resolve("checkpoints/v2");
    assertThrows(IOException.class,
        () -> AtomicFiles.publishDirectory(failed, dir -> {
          Files.writeString(dir.resolve("config.json"), "{}");
          throw new IOException("crash mid-write");
        }));
    assertTrue(Files.notExists(failed));
    assertEquals(List.of("v1"), names(target.getParent()), "temp directory must be cleaned up");
  }

  @Test
  void deleteRecursivelyToleratesMissingPaths() throws Exception {
    Path dir = tmp.resolve("d");
    Files.createDirectories(dir.resolve("x/y"));
    Files.writeString(dir.resolve("x/y/z"), "z");
    AtomicFiles.deleteRecursively(dir);
    AtomicFiles.deleteRecursively(dir);
    assertTrue(Files.notExists(dir));
  }
}
