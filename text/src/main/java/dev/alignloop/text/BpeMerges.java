package dev.alignloop.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair merges ranked by file order, applied as {@code CLIPTokenizer.bpe} does: the word's
 * last symbol gets the {@code </w>} suffix, then the lowest-ranked adjacent pair is merged
 * (every occurrence, left to right) until no ranked pair remains.
 */
final class BpeMerges {

  static final String END_OF_WORD = "</w>";
  private static final int CACHE_LIMIT = 50_000;

  private final Map<String, Integer> ranks; // "first second" -> rank
  private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

  /** @param merges pairs in rank order (index = rank) */
  BpeMerges(List<String[]> merges) {
    Map<String, Integer> r = new HashMap<>(merges.size() * 2);
    for (int i = 0; i < merges.size(); i++) {
      String[] m = merges.get(i);
      r.put(m[0] + " " + m[1], i); // a duplicate pair keeps its last rank, as Python's dict(zip(...)) does
    }
    this.ranks = r;
  }

  int size() {
    return ranks.size();
  }

  /** BPE symbols of one pre-token (already byte-level encoded, non-empty). */
  List<String> apply(String token) {
    List<String> cached = cache.get(token);
    if (cached != null) {
      return cached;
    }
    List<String> word = new ArrayList<>(token.length());
    for (int i = 0; i < token.length() - 1; i++) {
      word.add(String.valueOf(token.charAt(i)));
    }
    word.add(token.charAt(token.length() - 1) + END_OF_WORD);

    while (word.size() > 1) {
      // bigram = min(pairs, key=rank); stop when no pair is ranked.
      int bestRank = Integer.MAX_VALUE;
      String first = null;
      String second = null;
      for (int i = 0; i < word.size() - 1; i++) {
        Integer rank = ranks.get(word.get(i) + " " + word.get(i + 1));
        if (rank != null && rank < bestRank) {
          bestRank = rank;
          first = word.get(i);
          second = word.get(i + 1);
        }
      }
      if (first == null) {
        break;
      }
      List<String> merged = new ArrayList<>(word.size());
      int i = 0;
      while (i < word.size()) {
        if (i < word.size() - 1 && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
          merged.add(first + second);
          i += 2;
        } else {
          merged.add(word.get(i));
          i += 1;
        }
      }
      word = merged;
    }
    List<String> result = List.copyOf(word);
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear(); // bounded memory for long-running services with open-ended prompts
    }
    cache.put(token, result);
    return result;
  }
}
