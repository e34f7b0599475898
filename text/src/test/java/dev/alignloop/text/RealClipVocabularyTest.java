package dev.alignloop.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLIP vocabulary, rebuilt from OpenAI's merges file exactly as simple_tokenizer.py
 * does, against the ids transformers' own integration test expects for openai/clip-vit-base-patch32
 * (tests/models/clip/test_tokenization_clip.py, integration_expected_token_ids, for the shared
 * tokenizer test input; encoded without special tokens).
 */
class RealClipVocabularyTest {

  static final String INPUT = "This is a test 😊\n"
      + "I was born in 92000, and this is falsé.\n"
      + "生活的真谛是\n"
      + "Hi  Hello\n"
      + "Hi   Hello\n"
      + "\n"
      + " \n"
      + "  \n"
      + " Hello\n"
      + "<s>\n"
      + "hi<s>there\n"
      + "The following string should be properly encoded: Hello.\n"
      + "But ird and ปี   ird   ด\n"
      + "Hey how are you doing";

  static final int[] EXPECTED_IDS = {589, 533, 320, 1628, 3020, 328, 739, 2683, 530, 280, 273, 271, 271, 271, 267,
      537, 589, 533, 2778, 82, 4166, 269, 33375, 162, 112, 119, 163, 248, 226, 41570, 164, 108, 249, 42891, 363,
      1883, 3306, 1883, 3306, 3306, 283, 338, 285, 1883, 283, 338, 285, 997, 518, 3473, 9696, 1535, 655, 12560, 524,
      33703, 281, 3306, 269, 767, 2770, 537, 1777, 505, 20278, 2770, 38825, 2189, 829, 631, 592, 1960};

  static final String EXPECTED_DECODED = "this is a test 😊 i was born in 9 2 0 0 0 , and this is falsé . 生活的真谛是 hi hello"
      + " hi hello hello < s > hi < s > there the following string should be properly encoded : hello . but ird and"
      + " ป ี ird ด hey how are you doing";

  static ClipTokenizer clip;
  static ClipTokenizer fast;

  @BeforeAll
  static void buildRealVocabulary(@TempDir Path tmp) throws IOException {
    String text;
    try (InputStream in = new GZIPInputStream(
        RealClipVocabularyTest.class.getResourceAsStream("/openai-clip/bpe_simple_vocab_16e6.txt.gz"))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // merges = file.split('\n')[1 : 49152-256-2+1]
    List<String> lines = Arrays.asList(text.split("\n", -1));
    List<String> merges = lines.subList(1, 49152 - 256 - 2 + 1);
    clip = ClipTokenizer.load(ClipFixtures.writeVocabAndMerges(tmp.resolve("slow"), merges));
    fast = ClipTokenizer.fromTokenizerJson(ClipFixtures.writeTokenizerJson(tmp.resolve("fast"), merges, true));
  }

  @Test
  void vocabularyShape() {
    assertEquals(49408, clip.vocabSize());
    assertEquals(49406, clip.bosId());
    assertEquals(49407, clip.eosId());
    assertEquals(320, clip.tokenToId("a</w>"));
  }

  @Test
  void idsMatchTransformersIntegrationTest() {
    assertArrayEquals(EXPECTED_IDS, clip.encodeIds(INPUT));
    assertArrayEquals(EXPECTED_IDS, fast.encodeIds(INPUT));
  }

  @Test
  void decodeMatchesTransformers() {
    long[] ids = Arrays.stream(EXPECTED_IDS).asLongStream().toArray();
    assertEquals(EXPECTED_DECODED, clip.decode(ids, false));
  }

  @Test
  void stableDiffusionStyleEncoding() {
    Encoding e = clip.encode(INPUT, 77);
    assertEquals(77, e.length());
    assertEquals(49406, e.inputIds()[0]);
    assertEquals(EXPECTED_IDS[0], e.inputIds()[1]);
    assertEquals(74, e.tokenCount()); // 72 ids + BOS + EOS
    assertEquals(49407, e.inputIds()[73]);
    assertEquals(49407, e.inputIds()[76]); // padding

    Encoding truncated = clip.encode(INPUT + " " + INPUT, 77);
    assertEquals(77, truncated.tokenCount());
    assertEquals(49407, truncated.inputIds()[76], "EOS survives truncation");
  }
}
