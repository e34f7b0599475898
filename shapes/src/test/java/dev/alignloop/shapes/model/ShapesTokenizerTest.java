package dev.alignloop.shapes.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.shapes.prompt.PromptGrammar;
import dev.alignloop.text.Encoding;
import dev.alignloop.text.TextTokenizer;
import dev.alignloop.text.TokenizerException;
import dev.alignloop.text.Tokenizers;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesTokenizerTest {
    private final ShapesTokenizer tok = ShapesTokenizer.create();

    @Test
    void everyGrammarWordHasItsOwnIdAfterTheSpecialTokens() {
        Set<Integer> ids = new HashSet<>();
        for (String w : PromptGrammar.vocabulary()) {
            int id = tok.wordLevel().tokenToId(w);
            assertTrue(id >= 4, w + " -> " + id);
            assertTrue(ids.add(id), "duplicate id for " + w);
        }
        assertEquals(PromptGrammar.vocabulary().size() + 4, tok.vocabSize());
        assertEquals(ShapesTokenizer.PAD_ID, tok.wordLevel().tokenToId(ShapesTokenizer.PAD));
        assertEquals(1, tok.wordLevel().tokenToId(ShapesTokenizer.UNK));
        assertEquals(ShapesTokenizer.BOS_ID, tok.wordLevel().tokenToId(ShapesTokenizer.BOS));
        assertEquals(ShapesTokenizer.EOS_ID, tok.wordLevel().tokenToId(ShapesTokenizer.EOS));
    }

    @Test
    void theLongestCanonicalCaptionFitsWithBosAndEos() {
        assertEquals(ShapesTokenizer.MAX_WORDS, ShapesTokenizer.longestCanonicalCaption());
        String longest = "a small yellow triangle left of a large purple triangle on a black background";
        Encoding e = tok.encode(longest);
        assertEquals(ShapesTokenizer.MAX_LENGTH, e.length());
        assertEquals(ShapesTokenizer.MAX_LENGTH, e.tokenCount());
        assertEquals(ShapesTokenizer.BOS_ID, e.inputIds()[0]);
        assertEquals(ShapesTokenizer.EOS_ID, e.inputIds()[ShapesTokenizer.MAX_LENGTH - 1]);
        assertEquals(longest, tok.wordLevel().decode(e.inputIds(), true));
    }

    @Test
    void emptyPromptIsBosEosThenPadding() {
        Encoding e = tok.encode("");
        assertEquals(ShapesTokenizer.BOS_ID, e.inputIds()[0]);
        assertEquals(ShapesTokenizer.EOS_ID, e.inputIds()[1]);
        for (int i = 2; i < ShapesTokenizer.MAX_LENGTH; i++) {
            assertEquals(ShapesTokenizer.PAD_ID, e.inputIds()[i]);
            assertEquals(0, e.attentionMask()[i]);
        }
        assertEquals(2, e.tokenCount());
    }

    @Test
    void unknownWordsAndOverlongPromptsAreClearErrors() {
        TokenizerException unknown = assertThrows(TokenizerException.class, () -> tok.encode("a red hexagon"));
        assertTrue(unknown.getMessage().contains("hexagon") && unknown.getMessage().contains("a red hexagon"),
                unknown.getMessage());
        TokenizerException tooLong = assertThrows(TokenizerException.class,
                () -> tok.encode("a small red circle to the left of a large blue square on a black background"));
        assertTrue(tooLong.getMessage().contains("16 words") && tooLong.getMessage().contains("14"), tooLong.getMessage());
    }

    @Test
    void savedFileLoadsBackAndPlainLoadersMapUnknownWordsToUnk(@TempDir Path dir) {
        Path file = tok.save(dir);
        ShapesTokenizer back = ShapesTokenizer.load(dir);
        String p = "two large green squares on a black background";
        assertArrayEquals(tok.encode(p).inputIds(), back.encode(p).inputIds());
        // the ONNX scorer loads tokenizer.json with Tokenizers.load: not strict, [UNK] for unknown words
        TextTokenizer plain = Tokenizers.load(file);
        Encoding e = plain.encode("a red hexagon", ShapesTokenizer.MAX_LENGTH);
        assertEquals(1, e.inputIds()[3]);
        assertNotEquals(tok.encode("a red circle").inputIds()[3], e.inputIds()[3]);
    }
}
