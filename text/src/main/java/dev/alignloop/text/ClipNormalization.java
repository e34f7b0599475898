package dev.alignloop.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How {@link ClipTokenizer} cleans text before splitting it. ftfy (which OpenAI's tokenizer runs
 * first) is not available in Java; both modes skip it, which changes nothing for text ftfy would
 * leave alone (no mojibake, no HTML entities).
 */
public enum ClipNormalization {
  /**
   * NFC, runs of whitespace to one space, trim, lowercase: transformers' {@code
   * CLIPTokenizerFast} / {@code tokenizer.json} normalizer, and the slow {@code CLIPTokenizer}
   * when ftfy is installed. The default.
   */
  STANDARD,
  /**
   * The slow {@code CLIPTokenizer} without ftfy, which falls back to {@code BasicTokenizer}:
   * additionally drops control characters and splits CJK ideographs into separate words.
   */
  BASIC_TOKENIZER;

  /** Normalizes one text piece (never a special token). */
  String apply(String text) {
    return switch (this) {
      case STANDARD -> collapseWhitespace(Normalizer.normalize(text, Normalizer.Form.NFC)).toLowerCase(Locale.ROOT);
      case BASIC_TOKENIZER -> basic(text);
    };
  }

  // re.sub(r"\s+", " ", text).strip() with Python's Unicode \s (str.isspace).
  static String collapseWhitespace(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    boolean pendingSpace = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (isPythonSpace(cp)) {
        pendingSpace = sb.length() > 0;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.appendCodePoint(cp);
      }
    }
    return sb.toString();
  }

  /** Python's {@code str.isspace()}: bidi class WS, B or S, or category Zs. */
  static boolean isPythonSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
  }

  // BasicTokenizer(do_lower_case=True, strip_accents=False, do_split_on_punc=False).tokenize,
  // joined with spaces as CLIPTokenizer._tokenize does.
  private static String basic(String text) {
    StringBuilder cleaned = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0 || cp == 0xFFFD || isBertControl(cp)) {
        continue;
      }
      if (isBertWhitespace(cp)) {
        cleaned.append(' ');
      } else if (isCjk(cp)) {
        cleaned.append(' ').appendCodePoint(cp).append(' ');
      } else {
        cleaned.appendCodePoint(cp);
      }
    }
    String nfc = Normalizer.normalize(cleaned, Normalizer.Form.NFC);
    // whitespace_tokenize splits on str.split() (Python whitespace); lower() per token.
    return collapseWhitespace(nfc).toLowerCase(Locale.ROOT);
  }

  private static boolean isBertWhitespace(int cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  private static boolean isBertControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
        || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
  }

  // BasicTokenizer._is_chinese_char: the CJK Unified Ideographs blocks.
  private static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
