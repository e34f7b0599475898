package dev.alignloop.schemas;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over one in-memory message that refuses lengths larger than the bytes
 * left. Why: Avro 1.12's decoder allocates a string, bytes or collection of the declared size
 * before reading it, so one corrupt length varint (up to 2^31) in a Kafka record could
 * allocate gigabytes and take a consumer down with OutOfMemoryError. Here such a length fails
 * fast as {@link SchemaException.Kind#CORRUPT_BODY} instead.
 *
 * <p>Collection counts are bounded by the remaining bytes too (every element of an AlignLoop
 * array or map takes at least one byte); counts up to {@value #SMALL_COLLECTION} always pass so
 * that arrays of zero-byte items still decode.
 */
final class BoundedDecoder extends Decoder {

  static final int SMALL_COLLECTION = 1024;

  private final ByteArrayInputStream in;
  private final BinaryDecoder delegate;

  BoundedDecoder(byte[] data, int offset, int length) {
    this.in = new ByteArrayInputStream(data, offset, length);
    // Direct (unbuffered) so that in.available() is exactly the bytes not yet consumed.
    this.delegate = DecoderFactory.get().directBinaryDecoder(in, null);
  }

  /** Bytes not yet consumed. */
  int remaining() {
    return in.available();
  }

  private int checkedLength(String what) throws IOException {
    long length = delegate.readLong();
    if (length < 0) {
      throw new AvroRuntimeException("negative " + what + " length " + length);
    }
    if (length > remaining()) {
      throw new EOFException(what + " length " + length + " exceeds the " + remaining() + " bytes left");
    }
    return (int) length;
  }

  private long checkedCount(long count) {
    if (count > SMALL_COLLECTION && count > remaining()) {
      throw new AvroRuntimeException(
          "collection block of " + count + " items cannot fit in the " + remaining() + " bytes left");
    }
    return count;
  }

  @Override
  public void readNull() throws IOException {
    delegate.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return delegate.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return delegate.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return delegate.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return delegate.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return delegate.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkedLength("string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    delegate.readFixed(result.getBytes(), 0, length);
    checkUtf8(result.getBytes(), length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = checkedLength("string");
    byte[] bytes = new byte[length];
    delegate.readFixed(bytes, 0, length);
    checkUtf8(bytes, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Avro strings are UTF-8 by the spec, but Java decodes malformed bytes to U+FFFD without a word:
   * a prompt with a stray Latin-1 byte would be sampled, scored and trained on as something else.
   * Rejected here instead, naming the byte.
   */
  private static void checkUtf8(byte[] bytes, int length) throws IOException {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      utf8.decode(ByteBuffer.wrap(bytes, 0, length));
    } catch (CharacterCodingException e) {
      int at = firstInvalid(bytes, length);
      throw new AvroRuntimeException("string of " + length + " bytes is not valid UTF-8 (byte " + at + " is 0x"
          + String.format("%02X", bytes[Math.max(0, at)] & 0xFF) + ")");
    }
  }

  private static int firstInvalid(byte[] bytes, int length) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(length + 1);
    utf8.decode(in, out, true);
    return in.position();
  }

  @Override
  public void skipString() throws IOException {
    delegate.skipFixed(checkedLength("string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checkedLength("bytes");
    ByteBuffer result = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
    delegate.readFixed(result.array(), result.position(), length);
    result.limit(length);
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    delegate.skipFixed(checkedLength("bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    if (length > remaining()) {
      throw new EOFException("fixed of " + length + " bytes exceeds the " + remaining() + " bytes left");
    }
    delegate.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    if (length > remaining()) {
      throw new EOFException("fixed of " + length + " bytes exceeds the " + remaining() + " bytes left");
    }
    delegate.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return delegate.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(delegate.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(delegate.arrayNext());
  }

  @Override
  public long skipArray() throws IOException {
    return checkedCount(delegate.skipArray());
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(delegate.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(delegate.mapNext());
  }

  @Override
  public long skipMap() throws IOException {
    return checkedCount(delegate.skipMap());
  }

  @Override
  public int readIndex() throws IOException {
    return delegate.readIndex();
  }
}
