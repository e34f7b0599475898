package dev.alignloop.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordLevelTokenizerTest {

  @TempDir Path tmp;

  // Ids: [PAD] 0, [UNK] 1, [BOS] 2, [EOS] 3, then the words in order from 4.
  static final List<String> WORDS = List.of("a", "red", "blue", "circle", "square", "left", "of", "the", "2");
  static final int PAD = 0, UNK = 1, BOS = 2, EOS = 3, A = 4, RED = 5, BLUE = 6, CIRCLE = 7, SQUARE = 8, LEFT = 9,
      OF = 10, THE = 11, TWO = 12;

  static WordLevelTokenizer shapes() {
    return WordLevelTokenizer.builder().optBosToken("[BOS]").optEosToken("[EOS]").addWords(WORDS).build();
  }

  @Test
  void encodesWordsWithBosEosAndPadding() {
    WordLevelTokenizer t = shapes();
    assertEquals(List.of("a", "red", "circle", ",", "left", "of", "the", "blue", "square", "!"),
        t.tokenize("A red  Circle, left of the BLUE square!"));
    Encoding e = t.encode("A red  Circle, left of the BLUE square!", 14);
    // "," and "!" are not words of the vocabulary: [UNK].
    assertArrayEquals(new long[] {BOS, A, RED, CIRCLE, UNK, LEFT, OF, THE, BLUE, SQUARE, UNK, EOS, PAD, PAD},
        e.inputIds());
    assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, e.attentionMask());
    assertArrayEquals(new long[] {BOS, TWO, RED, SQUARE, EOS}, t.encode("2 red square", 5, Padding.NONE).inputIds());
  }

  @Test
  void truncationKeepsEos() {
    Encoding e = shapes().encode("a red circle left of a blue square", 5);
    assertArrayEquals(new long[] {BOS, A, RED, CIRCLE, EOS}, e.inputIds());
    assertThrows(IllegalArgumentException.class, () -> shapes().encode("a", 1));
  }

  @Test
  void strictModeNamesTheWordAndThePrompt() {
    WordLevelTokenizer strict = shapes().strict(true);
    TokenizerException e = assertThrows(TokenizerException.class, () -> strict.encode("a green circle", 8));
    assertTrue(e.getMessage().contains("\"green\"") && e.getMessage().contains("a green circle"), e.getMessage());
    assertArrayEquals(new long[] {BOS, A, UNK, CIRCLE, EOS}, shapes().encode("a green circle", 5).inputIds());
  }

  @Test
  void specialTokensInTheTextAreKeptWhole() {
    assertArrayEquals(new int[] {A, EOS, RED}, shapes().encodeIds("a[EOS]red"));
  }

  @Test
  void jsonRoundTripThroughSaveAndTokenizersLoad() throws Exception {
    WordLevelTokenizer t = shapes();
    Path file = t.save(tmp.resolve("tokenizer"));
    assertEquals(tmp.resolve("tokenizer/tokenizer.json"), file);
    TextTokenizer back = Tokenizers.load(tmp.resolve("tokenizer"));
    assertInstanceOf(WordLevelTokenizer.class, back);
    for (String prompt : new String[] {"a red circle", "The BLUE square, left of a red circle!", ""}) {
      assertEquals(t.encode(prompt, 12), back.encode(prompt, 12));
    }
    assertEquals(t.toJson(), ((WordLevelTokenizer) back).toJson());
    assertEquals("a red circle", t.decode(t.encode("a red circle", 8).inputIds(), true));
  }

  @Test
  void writtenJsonHasTheTokenizersLayout() throws Exception {
    JsonNode root = new ObjectMapper().readTree(shapes().toJson());
    assertEquals("WordLevel", root.at("/model/type").asText());
    assertEquals("[UNK]", root.at("/model/unk_token").asText());
    assertEquals(RED, root.at("/model/vocab/red").asInt());
    assertEquals("Lowercase", root.at("/normalizer/type").asText());
    assertEquals("Whitespace", root.at("/pre_tokenizer/type").asText());
    assertEquals("[PAD]", root.at("/padding/pad_token").asText());
    assertEquals(PAD, root.at("/padding/pad_id").asInt());
    assertEquals("TemplateProcessing", root.at("/post_processor/type").asText());
    assertEquals("[BOS]", root.at("/post_processor/single/0/SpecialToken/id").asText());
    assertEquals("A", root.at("/post_processor/single/1/Sequence/id").asText());
    assertEquals(EOS, root.at("/post_processor/special_tokens/[EOS]/ids/0").asInt());
    assertEquals(4, root.at("/added_tokens").size());
  }

  @Test
  void readsHandWrittenHuggingFaceFiles() throws Exception {
    String json = """
        {"version": "1.0", "truncation": null, "padding": null,
         "added_tokens": [{"id": 0, "content": "[PAD]", "special": true}],
         "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]},
         "pre_tokenizer": {"type": "BertPreTokenizer"},
         "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
         "model": {"type": "WordLevel", "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3,
                   "hi": 4, "there": 5, "!": 6}, "unk_token": "[UNK]"}}
        """;
    WordLevelTokenizer t = WordLevelTokenizer.fromJson(json, "hand.json");
    // NFKC folds the fullwidth Ｈ; BertPreTokenizer splits "there!!" into there ! !.
    assertArrayEquals(new long[] {2, 4, 5, 6, 6, 1, 3, 0}, t.encode("\uFF28i there!! you", 8).inputIds());
  }

  @Test
  void errorsNameTheFileOrWord() throws Exception {
    TokenizerException e = assertThrows(TokenizerException.class,
        () -> WordLevelTokenizer.builder().addWords(List.of("red-square")).build());
    assertTrue(e.getMessage().contains("red-square"), e.getMessage());

    Path bad = tmp.resolve("tokenizer.json");
    Files.writeString(bad, shapes().toJson().replace("\"Lowercase\"", "\"Precompiled\""));
    e = assertThrows(TokenizerException.class, () -> Tokenizers.load(bad));
    assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("Precompiled"), e.getMessage());

    WordLevelTokenizer noUnk = WordLevelTokenizer.builder().optUnkToken(null).addWords(WORDS).build();
    e = assertThrows(TokenizerException.class, () -> noUnk.encode("a green square", 5));
    assertTrue(e.getMessage().contains("green"), e.getMessage());

    WordLevelTokenizer noPad = WordLevelTokenizer.builder().optPadToken(null).addWords(WORDS).build();
    assertThrows(TokenizerException.class, () -> noPad.encode("a", 4));
    assertArrayEquals(new long[] {noPad.tokenToId("a")}, noPad.encode("a", 4, Padding.NONE).inputIds());
  }
}
