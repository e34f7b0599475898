package dev.alignloop.diffusion.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;

/** transformers' {@code CLIPMLP}: {@code fc2(act(fc1(x)))}. */
final class ClipMlp extends Module {
    private final Activation act;
    private final Linear fc1; // (I, D)
    private final Linear fc2; // (D, I)

    ClipMlp(NDManager manager, ClipTextConfig config) {
        this.act = config.activation();
        this.fc1 = register("fc1", new Linear(manager, config.hiddenSize(), config.intermediateSize()));
        this.fc2 = register("fc2", new Linear(manager, config.intermediateSize(), config.hiddenSize()));
    }

    /** x [B, L, D] → [B, L, D]. */
    NDArray forward(NDArray x) {
        try (NDArray h = fc1.forward(x); NDArray a = act.apply(h)) {
            return fc2.forward(a);
        }
    }
}
