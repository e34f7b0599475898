package dev.alignloop.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-256 as lowercase hex, the form used in blob keys, messages ({@code BlobRef.sha256}) and
 * reward-model manifests.
 */
public final class Sha256 {

  /** Length of a hex digest. */
  public static final int HEX_LENGTH = 64;

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final HexFormat LOWER_HEX = HexFormat.of();
  private static final int BUFFER = 64 * 1024;

  private Sha256() {}

  /** A fresh SHA-256 digest (every JVM ships SHA-256, so the checked exception cannot happen). */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** Hex digest of {@code data}. */
  public static String hex(byte[] data) {
    return toHex(newDigest().digest(data));
  }

  /** Hex digest of a file's content, streamed. */
  public static String hex(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return hex(in);
    }
  }

  /** Hex digest of everything left in {@code in}; the stream is read to its end, not closed. */
  public static String hex(InputStream in) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[BUFFER];
    for (int n; (n = in.read(buffer)) != -1; ) {
      digest.update(buffer, 0, n);
    }
    return toHex(digest.digest());
  }

  /** Lowercase hex of raw digest bytes. */
  public static String toHex(byte[] digestBytes) {
    return LOWER_HEX.formatHex(digestBytes);
  }

  /** Completes {@code digest} and returns its lowercase hex. */
  public static String toHex(MessageDigest digest) {
    return toHex(digest.digest());
  }

  /** Whether {@code s} is a well-formed lowercase hex SHA-256 (64 chars of {@code [0-9a-f]}). */
  public static boolean isHex(String s) {
    return s != null && HEX.matcher(s).matches();
  }

  /**
   * Returns {@code s} if it is a well-formed lowercase hex SHA-256.
   *
   * @param what names the value in the error message, e.g. "sha256 of blob file:/x"
   * @throws IllegalArgumentException otherwise
   */
  public static String requireHex(String s, String what) {
    if (!isHex(s)) {
      throw new IllegalArgumentException(
          what + " must be 64 lowercase hex characters (SHA-256), got '" + s + "'");
    }
    return s;
  }
}
