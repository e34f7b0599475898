package dev.alignloop.common.blob;

import dev.alignloop.common.io.AtomicFiles;
import dev.alignloop.common.io.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Reads that hash while streaming and refuse content that does not match. */
final class VerifiedReads {

  private static final int BUFFER = 64 * 1024;

  private VerifiedReads() {}

  /** Reads {@code in} fully; returns the bytes only if they hash to {@code expected}. */
  static byte[] readAll(String uri, String expected, InputStream in, long sizeHint)
      throws IOException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.max(32, Math.min(sizeHint, Integer.MAX_VALUE - 8)));
    String actual = copy(in, out);
    if (!actual.equals(expected)) {
      throw new BlobIntegrityException(uri, expected, actual);
    }
    return out.toByteArray();
  }

  /** Returns {@code data} if it hashes to {@code expected}. */
  static byte[] verified(String uri, String expected, byte[] data) {
    String actual = Sha256.hex(data);
    if (!actual.equals(expected)) {
      throw new BlobIntegrityException(uri, expected, actual);
    }
    return data;
  }

  /** Streams {@code in} into {@code target}, replacing it atomically only if the hash matches. */
  static void toFile(String uri, String expected, InputStream in, Path target) throws IOException {
    AtomicFiles.write(
        target,
        out -> {
          String actual = copy(in, out);
          if (!actual.equals(expected)) {
            // Thrown inside the writer: AtomicFiles deletes the temp file, target is untouched.
            throw new BlobIntegrityException(uri, expected, actual);
          }
        });
  }

  /** Copies and returns the hex SHA-256 of what was copied. */
  static String copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    byte[] buffer = new byte[BUFFER];
    for (int n; (n = in.read(buffer)) != -1; ) {
      digest.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    return Sha256.toHex(digest);
  }
}
