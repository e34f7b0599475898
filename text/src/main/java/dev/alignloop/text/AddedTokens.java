package dev.alignloop.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Splits text around added/special tokens before normalization, as transformers does (its
 * {@code tokens_trie.split}): the leftmost, then longest, literal occurrence wins and is never
 * lowercased or BPE-split. For example with SDXL's {@code tokenizer_2}, whose pad token is
 * {@code !}, a {@code !} in a prompt encodes as the pad id.
 */
final class AddedTokens {

  /** A piece of text; {@code special} pieces are whole added tokens. */
  record Piece(String text, boolean special) {}

  private final List<String> tokens; // longest first, so the first match at a position is the longest

  AddedTokens(Map<String, Integer> tokenIds) {
    this.tokens =
        tokenIds.keySet().stream()
            .filter(t -> !t.isEmpty())
            .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
            .toList();
  }

  List<Piece> split(String text) {
    List<Piece> pieces = new ArrayList<>();
    int start = 0;
    int i = 0;
    outer:
    while (i < text.length()) {
      for (String t : tokens) {
        if (text.startsWith(t, i)) {
          if (i > start) {
            pieces.add(new Piece(text.substring(start, i), false));
          }
          pieces.add(new Piece(t, true));
          i += t.length();
          start = i;
          continue outer;
        }
      }
      i++;
    }
    if (start < text.length()) {
      pieces.add(new Piece(text.substring(start), false));
    }
    return pieces;
  }
}
