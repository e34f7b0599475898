package dev.alignloop.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

  // FIPS 180-2 test vectors.
  static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void knownVectors() {
    assertEquals(EMPTY, Sha256.hex(new byte[0]));
    assertEquals(ABC, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void fileAndStreamAgreeWithBytes(@TempDir Path tmp) throws Exception {
    byte[] data = new byte[200_000]; // spans several read buffers
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Path file = Files.write(tmp.resolve("x"), data);
    assertEquals(Sha256.hex(data), Sha256.hex(file));
    assertEquals(Sha256.hex(data), Sha256.hex(new ByteArrayInputStream(data)));
  }

  @Test
  void hexValidation() {
    assertTrue(Sha256.isHex(ABC));
    assertFalse(Sha256.isHex(ABC.toUpperCase()));
    assertFalse(Sha256.isHex(ABC.substring(1)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Sha256.requireHex("xyz", "sha of blob b"));
    assertTrue(e.getMessage().contains("sha of blob b") && e.getMessage().contains("xyz"));
  }
}
