package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * What the denoiser is conditioned on, one row per image: the text encoder's hidden states and, for
 * SDXL-style models ({@code addition_embed_type = "text_time"}), the pooled text embedding and the
 * micro-conditioning time ids.
 *
 * @param encoderHiddenStates (B, L, D) {@code encoder_hidden_states}
 * @param textEmbeds (B, P) pooled {@code text_embeds}, or null
 * @param timeIds (B, 6) {@code time_ids} (original size, crop top-left, target size), or null
 */
public record Conditioning(NDArray encoderHiddenStates, NDArray textEmbeds, NDArray timeIds) {
    /** Checks that every present array has the same batch size. */
    public Conditioning {
        if (encoderHiddenStates == null) {
            throw new IllegalArgumentException("Conditioning needs encoderHiddenStates (B, L, D)");
        }
        if (encoderHiddenStates.getShape().dimension() != 3) {
            throw new IllegalArgumentException("encoderHiddenStates must be (B, L, D), got " + encoderHiddenStates.getShape());
        }
        long b = encoderHiddenStates.getShape().get(0);
        if (textEmbeds != null && (textEmbeds.getShape().dimension() != 2 || textEmbeds.getShape().get(0) != b)) {
            throw new IllegalArgumentException("textEmbeds must be (" + b + ", P), got " + textEmbeds.getShape());
        }
        if (timeIds != null && (timeIds.getShape().dimension() != 2 || timeIds.getShape().get(0) != b)) {
            throw new IllegalArgumentException("timeIds must be (" + b + ", 6), got " + timeIds.getShape());
        }
    }

    /**
     * @param encoderHiddenStates (B, L, D)
     * @return text-only conditioning (SD 1.x/2.x style)
     */
    public static Conditioning of(NDArray encoderHiddenStates) {
        return new Conditioning(encoderHiddenStates, null, null);
    }

    /** @return the batch size B */
    public long batchSize() {
        return encoderHiddenStates.getShape().get(0);
    }

    /**
     * @param ids (B, 6) time ids
     * @return this conditioning with {@code timeIds} replaced
     */
    public Conditioning withTimeIds(NDArray ids) {
        return new Conditioning(encoderHiddenStates, textEmbeds, ids);
    }

    /** @return conditioning of zeros shaped like this one (SDXL's {@code force_zeros_for_empty_prompt}) */
    public Conditioning zerosLike() {
        return new Conditioning(encoderHiddenStates.zerosLike(), textEmbeds == null ? null : textEmbeds.zerosLike(),
                timeIds == null ? null : timeIds.duplicate());
    }

    /**
     * {@code torch.cat([first, second])} field by field, as the pipelines batch unconditional and
     * conditional rows for classifier-free guidance.
     *
     * @param first the first rows (the unconditional ones)
     * @param second the following rows
     * @return the concatenation
     */
    public static Conditioning concat(Conditioning first, Conditioning second) {
        if ((first.textEmbeds == null) != (second.textEmbeds == null)
                || (first.timeIds == null) != (second.timeIds == null)) {
            throw new IllegalArgumentException("cannot batch conditionings with different fields");
        }
        return new Conditioning(cat(first.encoderHiddenStates, second.encoderHiddenStates),
                first.textEmbeds == null ? null : cat(first.textEmbeds, second.textEmbeds),
                first.timeIds == null ? null : cat(first.timeIds, second.timeIds));
    }

    private static NDArray cat(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), 0);
    }
}
