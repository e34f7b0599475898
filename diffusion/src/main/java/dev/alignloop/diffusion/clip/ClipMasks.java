package dev.alignloop.diffusion.clip;

/** Host-side helpers for CLIP's attention mask and pooling positions (exactly transformers' rules). */
final class ClipMasks {
    /** {@code torch.finfo(torch.float32).min}, transformers' mask value. */
    static final float MIN = -Float.MAX_VALUE;

    private ClipMasks() {
    }

    /**
     * The additive mask [B or 1, 1, L, L]: {@code _create_4d_causal_attention_mask} (MIN where key
     * j > query i) plus, when {@code padding} [B*L] (1 = keep) is given,
     * {@code _prepare_4d_attention_mask} (MIN where key j is padding), added in float32 as
     * transformers does (MIN + MIN overflows to -inf there too).
     */
    static float[] additive(int b, int l, float[] padding) {
        int batches = padding == null ? 1 : b;
        float[] m = new float[batches * l * l];
        for (int n = 0; n < batches; n++) {
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < l; j++) {
                    float causal = j > i ? MIN : 0f;
                    float pad = padding != null && padding[n * l + j] == 0f ? MIN : 0f;
                    m[(n * l + i) * l + j] = causal + pad;
                }
            }
        }
        return m;
    }

    /**
     * Row positions to pool: with the legacy {@code eos_token_id == 2}, {@code argmax(input_ids)};
     * otherwise the first index where {@code input_ids == eos_token_id} ({@code argmax} of the
     * boolean row, so 0 when absent). Ties resolve to the first index, as torch's argmax does.
     */
    static int[] poolPositions(long[] ids, int b, int l, int eosTokenId) {
        int[] out = new int[b];
        for (int n = 0; n < b; n++) {
            int best = 0;
            if (eosTokenId == 2) {
                for (int j = 1; j < l; j++) {
                    if ((int) ids[n * l + j] > (int) ids[n * l + best]) {
                        best = j;
                    }
                }
            } else {
                for (int j = 0; j < l; j++) {
                    if ((int) ids[n * l + j] == eosTokenId) {
                        best = j;
                        break;
                    }
                }
            }
            out[n] = best;
        }
        return out;
    }
}
