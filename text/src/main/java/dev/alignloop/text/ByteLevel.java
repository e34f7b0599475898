package dev.alignloop.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * GPT-2/CLIP byte-level alphabet ({@code bytes_to_unicode} in transformers): every UTF-8 byte maps
 * to one printable character, so BPE works on any text without unknown symbols. Printable
 * Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 upwards, in byte order.
 */
final class ByteLevel {

  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];
  // The dict order of bytes_to_unicode(): the first 256 ids of the CLIP vocabulary.
  private static final List<Character> ALPHABET;

  static {
    List<Integer> bs = new ArrayList<>();
    for (int b = '!'; b <= '~'; b++) {
      bs.add(b);
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      bs.add(b);
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      bs.add(b);
    }
    List<Integer> cs = new ArrayList<>(bs);
    int n = 0;
    for (int b = 0; b < 256; b++) {
      if (!bs.contains(b)) {
        bs.add(b);
        cs.add(256 + n++);
      }
    }
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    List<Character> alphabet = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      char c = (char) (int) cs.get(i);
      BYTE_TO_CHAR[bs.get(i)] = c;
      CHAR_TO_BYTE[c] = bs.get(i);
      alphabet.add(c);
    }
    ALPHABET = Collections.unmodifiableList(alphabet);
  }

  private ByteLevel() {}

  /** The 256 byte characters in {@code bytes_to_unicode()} order. */
  static List<Character> alphabet() {
    return ALPHABET;
  }

  /** Maps the UTF-8 bytes of {@code text} to byte-level characters. */
  static String encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(out);
  }

  /**
   * Maps byte-level characters back to bytes and decodes UTF-8, replacing malformed sequences
   * with U+FFFD (transformers' {@code errors="replace"}). Characters outside the alphabet are
   * dropped.
   */
  static String decode(String symbols) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(symbols.length());
    for (int i = 0; i < symbols.length(); i++) {
      char c = symbols.charAt(i);
      if (c < CHAR_TO_BYTE.length && CHAR_TO_BYTE[c] >= 0) {
        out.write(CHAR_TO_BYTE[c]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
