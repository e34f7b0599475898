package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDManager;
import java.util.List;

/** Tokenizer plus text encoder(s): prompts to conditioning (diffusers' {@code encode_prompt}). */
@FunctionalInterface
public interface TextEncoder {
    /**
     * Encodes prompts independently of each other (padding to a fixed length), so that a prompt's
     * rows do not depend on the rest of the batch.
     *
     * @param prompts one prompt per row; the empty string is the unconditional prompt
     * @param manager where to create the returned arrays
     * @return conditioning with batch {@code prompts.size()}; {@code timeIds} is left null (the pipeline adds it)
     */
    Conditioning encode(List<String> prompts, NDManager manager);
}
