package dev.alignloop.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact ids on a hand-made vocabulary (no Python/transformers here to produce references).
 *
 * <p>The fixture follows OpenAI's construction (see {@link ClipFixtures}), so a single byte
 * character c has id {@code idx(c)} and {@code c</w>} has {@code 256 + idx(c)}, where for byte b:
 * b in 33..126 → b-33; 161..172 → b-161+94; 174..255 → b-174+106; the other 68 bytes (0..32,
 * 127..160, 173) → 188 + their rank n among them. E.g. "a</w>" = 256 + (97-33) = 320, the same id
 * as in the real CLIP vocabulary. Merge r has id 512 + r; then BOS = 523, EOS = 524.
 */
class ClipTokenizerTest {

  static final List<String> MERGES =
      List.of(
          "h e", //        r0  -> he        512
          "l l", //        r1  -> ll        513
          "ll o</w>", //   r2  -> llo</w>   514
          "he llo</w>", // r3  -> hello</w> 515
          "o r", //        r4  -> or        516
          "w or", //       r5  -> wor       517
          "l d</w>", //    r6  -> ld</w>    518
          "wor ld</w>", // r7  -> world</w> 519
          "' t</w>", //    r8  -> 't</w>    520
          "d o", //        r9  -> do        521
          "do n"); //      r10 -> don       522 (never applies to a final "n</w>")

  static final int BOS = 523;
  static final int EOS = 524;

  @TempDir Path tmp;
  ClipTokenizer clip;

  @BeforeEach
  void load() throws Exception {
    clip = ClipTokenizer.load(ClipFixtures.writeVocabAndMerges(tmp.resolve("tok"), MERGES));
  }

  @Test
  void fixtureMatchesTheProductionByteAlphabet() {
    assertEquals(ClipFixtures.alphabet(), ByteLevel.alphabet().stream().map(String::valueOf).toList());
    assertEquals(BOS, clip.bosId());
    assertEquals(EOS, clip.eosId());
    assertEquals(EOS, clip.padId(), "SD 1.x pads with <|endoftext|>");
    assertEquals(525, clip.vocabSize());
  }

  @Test
  void mergesApplyByRankUntilNoneLeft() {
    // hello: h e l l o</w> -r0-> he l l o</w> -r1-> he ll o</w> -r2-> he llo</w> -r3-> hello</w>
    // world: w o r l d</w> -r4-> w or l d</w> -r5-> wor l d</w> -r6-> wor ld</w> -r7-> world</w>
    assertEquals(List.of("hello</w>", "world</w>"), clip.tokenize("Hello World"));
    Encoding e = clip.encode("Hello World", 8);
    assertArrayEquals(new long[] {BOS, 515, 519, EOS, EOS, EOS, EOS, EOS}, e.inputIds());
    assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0}, e.attentionMask());
    // lll: l l l</w>; r1 merges left to right once: ll l</w> (331 = 256 + 'l' 75).
    assertArrayEquals(new int[] {513, 331}, clip.encodeIds("lll"));
  }

  @Test
  void apostrophesPunctuationAndWhitespace() {
    // "don't stop!!!" -> regex words: don | 't | stop | !!!
    // don: d o n</w> -r9-> do n</w> (r10 is "do n", not "do n</w>") = 521, 333
    // 't: ' t</w> -r8-> 't</w> = 520;  stop: no merges = s 82, t 83, o 78, p</w> 335
    // !!!: one run of symbols, no merges = ! 0, ! 0, !</w> 256
    assertArrayEquals(new int[] {521, 333, 520, 82, 83, 78, 335, 0, 0, 256},
        clip.encodeIds("  DON'T\tstop!!! "));
    // Unicode spaces (NBSP, ideographic space, newline) collapse like ASCII ones.
    assertArrayEquals(new int[] {515, 519}, clip.encodeIds("hello\u00a0\u3000world\n"));
  }

  @Test
  void numbersAccentsAndEmoji() {
    // it's -> it | 's: i 72, t</w> 339, ' 6, s</w> 338.  42 -> one word per digit: 4</w> 275, 2</w> 273
    // café (c3 a9): c 66, a 64, f 69, Ã 127, ©</w> 358
    // 😊 (f0 9f 98 8a): ð 172, Ł (0x9f, n=65) 253, ĺ (0x98, n=58) 246, Ĭ</w> (0x8a, n=44) 256+232=488
    int[] expected = {72, 339, 6, 338, 275, 273, 66, 64, 69, 127, 358, 172, 253, 246, 488};
    assertArrayEquals(expected, clip.encodeIds("It's 42 caf\u00e9 \uD83D\uDE0A"));
    // NFD input (e + combining acute) is composed first.
    assertArrayEquals(expected, clip.encodeIds("It's 42 cafe\u0301 \uD83D\uDE0A"));
    // decode turns every </w> into a space, as transformers' convert_tokens_to_string does.
    assertEquals("it 's 4 2 caf\u00e9 \uD83D\uDE0A", clip.decode(clip.encode("It's 42 café 😊", 77).inputIds(), true));
  }

  @Test
  void specialTokensInTheTextAreKeptWhole() {
    assertArrayEquals(new int[] {515, EOS, 519}, clip.encodeIds("hello<|endoftext|>world"));
    assertArrayEquals(new int[] {BOS, 515}, clip.encodeIds("<|startoftext|> hello"));
  }

  @Test
  void truncationKeepsEosLastAndPaddingIsOptional() {
    Encoding e = clip.encode("hello world hello world hello", 5);
    assertArrayEquals(new long[] {BOS, 515, 519, 515, EOS}, e.inputIds());
    assertArrayEquals(new long[] {1, 1, 1, 1, 1}, e.attentionMask());

    Encoding unpadded = clip.encode("a", 77, Padding.NONE);
    assertArrayEquals(new long[] {BOS, 320, EOS}, unpadded.inputIds());
    assertEquals(3, unpadded.tokenCount());
    assertArrayEquals(new long[] {BOS, EOS, EOS}, clip.encode("", 3).inputIds());
    assertThrows(IllegalArgumentException.class, () -> clip.encode("a", 1));
  }

  @Test
  void basicTokenizerModeSplitsCjkAndDropsControls() {
    // 生 (e7 94 9f) = ç 163, Ķ (0x94, n=54) 242, Ł 253;  活 (e6 b4 bb) = æ 162, ´ 112, »</w> 375
    assertArrayEquals(new int[] {163, 242, 253, 162, 112, 375}, clip.encodeIds("生活"));
    ClipTokenizer basic = clip.withNormalization(ClipNormalization.BASIC_TOKENIZER);
    assertArrayEquals(new int[] {163, 242, 509, 162, 112, 375}, basic.encodeIds("生活"), "生 is a word of its own: Ł</w>");
    // BEL is a symbol run for the standard mode (hel | \u0007 | lo), dropped by BasicTokenizer.
    // hel: he l</w> = 512, 331; BEL = byte 7 (n=7) -> 195, </w> -> 451; lo: l 75, o</w> 334
    assertArrayEquals(new int[] {512, 331, 451, 75, 334}, clip.encodeIds("hel\u0007lo"));
    assertArrayEquals(new int[] {515}, basic.encodeIds("hel\u0007lo"));
  }

  @Test
  void sdxlStylePadTokenFromConfig() throws Exception {
    Path dir = ClipFixtures.writeVocabAndMerges(tmp.resolve("tokenizer_2"), MERGES);
    Files.writeString(dir.resolve("tokenizer_config.json"),
        "{\"model_max_length\": 77, \"pad_token\": {\"__type\": \"AddedToken\", \"content\": \"!\"}}");
    ClipTokenizer sdxl = ClipTokenizer.load(dir);
    assertEquals("!", sdxl.padToken());
    assertEquals(0, sdxl.padId());
    assertEquals(77, sdxl.modelMaxLength());
    // As in transformers, the pad token is a special token, so a "!" in the prompt is split out
    // whole and becomes id 0 (not "!</w>" = 256 as with <|endoftext|> padding).
    Encoding e = sdxl.encode("hello!", 6);
    assertArrayEquals(new long[] {BOS, 515, 0, EOS, 0, 0}, e.inputIds());
    assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0}, e.attentionMask());
    assertArrayEquals(new int[] {515, 256}, clip.encodeIds("hello!"));

    // special_tokens_map.json wins over tokenizer_config.json.
    Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": \"<|endoftext|>\"}");
    assertEquals(EOS, ClipTokenizer.load(dir).padId());
    assertEquals(0, clip.withPadToken("!").padId());
  }

  @Test
  void tokenizerJsonGivesTheSameIdsWithEitherMergeFormat() throws Exception {
    String text = "Hello World, don't stop!!! It's 42 café 😊 lll";
    int[] expected = clip.encodeIds(text);
    for (boolean arrays : new boolean[] {false, true}) {
      Path json = ClipFixtures.writeTokenizerJson(tmp.resolve("fast-" + arrays), MERGES, arrays);
      TextTokenizer fast = Tokenizers.load(json.getParent());
      assertTrue(fast instanceof ClipTokenizer);
      assertArrayEquals(expected, ((ClipTokenizer) fast).encodeIds(text));
      assertEquals(clip.encode(text, 20), fast.encode(text, 20));
    }
  }

  @Test
  void transformersOwnFixture() throws Exception {
    // tests/models/clip/test_tokenization_clip.py: tokenize("lower newer") and its ids.
    List<String> vocab = List.of("l", "o", "w", "e", "r", "s", "t", "i", "d", "n", "lo", "l</w>", "w</w>", "r</w>",
        "t</w>", "low</w>", "er</w>", "lowest</w>", "newer</w>", "wider", "<unk>", "<|startoftext|>", "<|endoftext|>");
    java.util.Map<String, Integer> ids = new java.util.LinkedHashMap<>();
    vocab.forEach(t -> ids.put(t, ids.size()));
    Path dir = ClipFixtures.writeVocabAndMerges(tmp.resolve("hf"), ids, List.of("l o", "lo w</w>", "e r</w>"));
    Files.writeString(dir.resolve("special_tokens_map.json"), "{\"unk_token\": \"<unk>\"}");
    ClipTokenizer hf = ClipTokenizer.load(dir);
    assertEquals(List.of("lo", "w", "er</w>", "n", "e", "w", "er</w>"), hf.tokenize("lower newer"));
    assertArrayEquals(new int[] {10, 2, 16, 9, 3, 2, 16}, hf.encodeIds("lower newer"));
    assertArrayEquals(new int[] {10, 2, 16, 20}, hf.encodeIds("lower x"), "x</w> is unknown: <unk> = 20");
  }

  @Test
  void errorsNameTheFileAtFault() throws Exception {
    Path dir = ClipFixtures.writeVocabAndMerges(tmp.resolve("bad"), MERGES);
    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nh e\nnot-a-pair\n");
    TokenizerException e = assertThrows(TokenizerException.class, () -> ClipTokenizer.load(dir));
    assertTrue(e.getMessage().contains("merges.txt") && e.getMessage().contains("line 3"), e.getMessage());

    Files.delete(dir.resolve("merges.txt"));
    e = assertThrows(TokenizerException.class, () -> Tokenizers.load(dir));
    assertTrue(e.getMessage().contains("merges.txt") && e.getMessage().contains(dir.toString()), e.getMessage());

    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
    Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": \"<pad>\"}");
    e = assertThrows(TokenizerException.class, () -> ClipTokenizer.load(dir));
    assertTrue(e.getMessage().contains("pad_token") && e.getMessage().contains("<pad>"), e.getMessage());

    Files.writeString(dir.resolve("special_tokens_map.json"), "{not json");
    e = assertThrows(TokenizerException.class, () -> ClipTokenizer.load(dir));
    assertTrue(e.getMessage().contains("special_tokens_map.json"), e.getMessage());

    Path json = tmp.resolve("uni/tokenizer.json");
    Files.createDirectories(json.getParent());
    Files.writeString(json, "{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}");
    e = assertThrows(TokenizerException.class, () -> Tokenizers.load(json.getParent()));
    assertTrue(e.getMessage().contains(json.toString()) && e.getMessage().contains("Unigram"), e.getMessage());

    e = assertThrows(TokenizerException.class, () -> Tokenizers.load(Files.createDirectories(tmp.resolve("empty"))));
    assertTrue(e.getMessage().contains("tokenizer.json") && e.getMessage().contains("vocab.json"), e.getMessage());
  }
}
