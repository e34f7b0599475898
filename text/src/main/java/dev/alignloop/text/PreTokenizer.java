package dev.alignloop.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How {@link WordLevelTokenizer} splits normalized text into words; names match {@code tokenizers}' types. */
public enum PreTokenizer {
  /** {@code Whitespace}: runs of word characters, and runs of other non-space characters ({@code \w+|[^\w\s]+}). */
  WHITESPACE("Whitespace"),
  /** {@code WhitespaceSplit}: split on whitespace only. */
  WHITESPACE_SPLIT("WhitespaceSplit"),
  /** {@code BertPreTokenizer}: split on whitespace, and every punctuation character is its own word. */
  BERT("BertPreTokenizer");

  private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern NON_SPACE = Pattern.compile("\\S+", Pattern.UNICODE_CHARACTER_CLASS);

  private final String jsonType;

  PreTokenizer(String jsonType) {
    this.jsonType = jsonType;
  }

  /** The {@code pre_tokenizer.type} in {@code tokenizer.json}. */
  public String jsonType() {
    return jsonType;
  }

  /** The pre-tokenizer with this {@code tokenizer.json} type, or null. */
  static PreTokenizer fromJsonType(String type) {
    for (PreTokenizer p : values()) {
      if (p.jsonType.equals(type)) {
        return p;
      }
    }
    return null;
  }

  /** Splits {@code text} into words. */
  public List<String> split(String text) {
    List<String> out = new ArrayList<>();
    switch (this) {
      case WHITESPACE -> addAll(WORDS.matcher(text), out);
      case WHITESPACE_SPLIT -> addAll(NON_SPACE.matcher(text), out);
      case BERT -> {
        Matcher m = NON_SPACE.matcher(text);
        while (m.find()) {
          splitPunctuation(m.group(), out);
        }
      }
    }
    return out;
  }

  private static void addAll(Matcher m, List<String> out) {
    while (m.find()) {
      out.add(m.group());
    }
  }

  private static void splitPunctuation(String word, List<String> out) {
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      i += Character.charCount(cp);
      if (isPunctuation(cp)) {
        if (current.length() > 0) {
          out.add(current.toString());
          current.setLength(0);
        }
        out.add(new String(Character.toChars(cp)));
      } else {
        current.appendCodePoint(cp);
      }
    }
    if (current.length() > 0) {
      out.add(current.toString());
    }
  }

  // tokenizers' is_punc: ASCII symbol ranges or any Unicode punctuation category.
  private static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }
}
