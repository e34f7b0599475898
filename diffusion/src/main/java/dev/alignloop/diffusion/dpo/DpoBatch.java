package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.safetensors.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One batch of {@code B} preference pairs, per pair (not yet doubled): latents of the winner and
 * the loser, the pair's shared noise and timestep, and its text conditioning.
 *
 * @param xW winner latents {@code [B, C, H, W]}
 * @param xL loser latents {@code [B, C, H, W]}
 * @param noise shared noise {@code [B, C, H, W]}
 * @param timesteps shared timesteps {@code [B]} int64
 * @param encoderHiddenStates {@code [B, S, D]}
 * @param textEmbeds SDXL pooled embeddings {@code [B, P]} (or doubled {@code [2B, P]}) or {@code null}
 * @param timeIds SDXL time ids {@code [B, 6]} (or doubled {@code [2B, 6]}) or {@code null}
 * @param margin reward-model margins {@code [B]} of the labels, or {@code null}
 */
public record DpoBatch(
        NDArray xW,
        NDArray xL,
        NDArray noise,
        NDArray timesteps,
        NDArray encoderHiddenStates,
        NDArray textEmbeds,
        NDArray timeIds,
        NDArray margin) {

    /** Tensor names of the batch file ({@code alignloop model dpo-step --batch}). */
    public static final String X_W = "x_w";
    public static final String X_L = "x_l";
    public static final String NOISE = "noise";
    public static final String TIMESTEPS = "timesteps";
    public static final String ENCODER_HIDDEN_STATES = "encoder_hidden_states";
    public static final String TEXT_EMBEDS = "text_embeds";
    public static final String TIME_IDS = "time_ids";
    public static final String MARGIN = "margin";

    public DpoBatch {
        require(xW != null, X_W + " is required");
        require(xL != null, X_L + " is required");
        require(noise != null, NOISE + " is required");
        require(timesteps != null, TIMESTEPS + " is required");
        require(encoderHiddenStates != null, ENCODER_HIDDEN_STATES + " is required");
        Shape s = xW.getShape();
        require(s.dimension() == 4, X_W + " must be [B, C, H, W], got " + s);
        require(xL.getShape().equals(s), X_L + " has shape " + xL.getShape() + ", " + X_W + " has " + s);
        require(noise.getShape().equals(s), NOISE + " has shape " + noise.getShape() + ", " + X_W + " has " + s);
        long b = s.get(0);
        require(timesteps.getShape().equals(new Shape(b)), TIMESTEPS + " must be [" + b + "], got " + timesteps.getShape());
        require(timesteps.getDataType().isInteger(), TIMESTEPS + " must be an integer tensor, got " + timesteps.getDataType());
        Shape e = encoderHiddenStates.getShape();
        require(e.dimension() == 3 && e.get(0) == b, ENCODER_HIDDEN_STATES + " must be [" + b + ", S, D], got " + e);
        require((textEmbeds == null) == (timeIds == null), TEXT_EMBEDS + " and " + TIME_IDS + " go together (SDXL)");
        if (textEmbeds != null) {
            requireRows(TEXT_EMBEDS, textEmbeds, b);
            requireRows(TIME_IDS, timeIds, b);
        }
        if (margin != null) {
            require(margin.getShape().equals(new Shape(b)), MARGIN + " must be [" + b + "], got " + margin.getShape());
        }
    }

    /** A batch without SDXL conditioning or label margins. */
    public static DpoBatch of(NDArray xW, NDArray xL, NDArray noise, NDArray timesteps, NDArray encoderHiddenStates) {
        return new DpoBatch(xW, xL, noise, timesteps, encoderHiddenStates, null, null, null);
    }

    /**
     * Reads a batch file; floats become float32 and integer timesteps int64.
     *
     * @throws DpoException naming the file and tensor when a required tensor is missing or misshapen
     */
    public static DpoBatch load(Path file, NDManager manager) {
        try (SafeTensors st = SafeTensors.open(file)) {
            for (String name : new String[] {X_W, X_L, NOISE, TIMESTEPS, ENCODER_HIDDEN_STATES}) {
                if (!st.contains(name)) {
                    throw new DpoException(file + ": missing tensor '" + name + "' (has " + st.tensors().keySet() + ")");
                }
            }
            Map<String, NDArray> t = st.loadAll(manager);
            try {
                return new DpoBatch(t.get(X_W), t.get(X_L), t.get(NOISE), t.get(TIMESTEPS).toType(DataType.INT64, false),
                        t.get(ENCODER_HIDDEN_STATES), t.get(TEXT_EMBEDS), t.get(TIME_IDS), t.get(MARGIN));
            } catch (DpoException e) {
                throw new DpoException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The non-null arrays of the batch, each once (identity). */
    public List<NDArray> arrays() {
        List<NDArray> out = new ArrayList<>();
        for (NDArray a : new NDArray[] {xW, xL, noise, timesteps, encoderHiddenStates, textEmbeds, timeIds, margin}) {
            if (a != null && out.stream().noneMatch(o -> o == a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Number of pairs {@code B}. */
    public int size() {
        return Math.toIntExact(xW.getShape().get(0));
    }

    /** Whether SDXL micro-conditioning is present. */
    public boolean hasAddedConditions() {
        return textEmbeds != null;
    }

    /** Mean label margin, NaN when the batch carries none. */
    public double meanMargin() {
        return margin == null ? Double.NaN : DpoLossOutput.mean(margin.toType(DataType.FLOAT32, false));
    }

    /** SDXL inputs may be given per pair ({@code B} rows) or already doubled ({@code 2B} rows). */
    private static void requireRows(String name, NDArray a, long b) {
        Shape s = a.getShape();
        require(s.dimension() == 2 && (s.get(0) == b || s.get(0) == 2 * b),
                name + " must be [" + b + ", K] (or already doubled [" + 2 * b + ", K]), got " + s);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new DpoException(message);
        }
    }
}
