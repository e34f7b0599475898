package dev.alignloop.common.blob;

import dev.alignloop.common.io.Sha256;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Counts and SHA-256-hashes everything written through it. */
final class HashingOutputStream extends FilterOutputStream {

  private final MessageDigest digest = Sha256.newDigest();
  private long count;

  HashingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digest.update(b, off, len);
    count += len;
  }

  long count() {
    return count;
  }

  /** Hex digest of what was written; call once, after the last write. */
  String sha256() {
    return Sha256.toHex(digest);
  }
}
