package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.alignloop.diffusion.nn.Dropout;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.Linear;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;

/**
 * diffusers {@code FeedForward(dim, activation_fn="geglu", mult=4)}: {@code net.0} GEGLU
 * ({@code proj}: dim → 2 * inner), {@code net.1} dropout, {@code net.2} linear inner → dim.
 */
public final class FeedForward extends Module {
    private final Linear proj;     // net.0.proj: (2 * inner, dim)
    private final Dropout dropout; // net.1
    private final Linear out;      // net.2: (dim, inner)

    /** A GEGLU feed-forward with {@code inner = 4 * dim}. */
    public FeedForward(NDManager m, int dim, float dropout) {
        int inner = dim * 4;
        ModuleList<Module> net = register("net", new ModuleList<>());
        this.proj = net.add(new Geglu(m, dim, inner)).proj;
        this.dropout = net.add(new Dropout(dropout));
        this.out = net.add(new Linear(m, inner, dim));
    }

    /** x [B, L, dim] → [B, L, dim]. */
    public NDArray forward(NDArray x) {
        NDArray g;
        // hidden_states, gate = self.proj(hidden_states).chunk(2, dim=-1); return hidden_states * self.gelu(gate)
        try (NDArray p = proj.forward(x); NDList parts = p.split(2, p.getShape().dimension() - 1);
             NDArray gate = F.gelu(parts.get(1))) {
            g = parts.get(0).mul(gate);
        }
        try (g; NDArray d = dropout.forward(g)) {
            return out.forward(d);
        }
    }

    /** {@code GEGLU}: holds {@code proj} so its path is {@code net.0.proj}. */
    static final class Geglu extends Module {
        final Linear proj;

        Geglu(NDManager m, int dimIn, int dimOut) {
            this.proj = register("proj", new Linear(m, dimIn, dimOut * 2));
        }
    }
}
