/**
 * A small PyTorch-like module system over DJL NDArrays, in which parameter paths ARE the
 * diffusers/transformers checkpoint names.
 *
 * <p>{@link dev.alignloop.diffusion.nn.Module} registers named children ({@link
 * dev.alignloop.diffusion.nn.ModuleList} names them "0", "1", ... like {@code nn.ModuleList})
 * and named {@link dev.alignloop.diffusion.nn.Parameter}s, so {@code namedParameters()} yields
 * {@code down_blocks.0.resnets.0.conv1.weight} and a safetensors checkpoint loads by name with
 * {@code loadStateDict} (strict: a {@link dev.alignloop.diffusion.nn.ModelLoadException} lists
 * missing, unexpected and mis-shaped tensors). Layers: {@link dev.alignloop.diffusion.nn.Linear},
 * {@link dev.alignloop.diffusion.nn.Conv2d}, {@link dev.alignloop.diffusion.nn.GroupNorm},
 * {@link dev.alignloop.diffusion.nn.LayerNorm}, {@link dev.alignloop.diffusion.nn.Embedding},
 * {@link dev.alignloop.diffusion.nn.Dropout}, {@link dev.alignloop.diffusion.nn.Activation};
 * stateless ops in {@link dev.alignloop.diffusion.nn.F}.
 *
 * <h2>Why not DJL's {@code AbstractBlock}</h2>
 * DJL blocks need a {@code ParameterStore}, {@code initialize(manager, dtype, inputShapes)} with
 * shape inference before any weight exists, and {@code forward(ParameterStore, NDList, training)}
 * signatures; they also prefix child names with indices ({@code 01Linear_weight}) so paths never
 * equal the checkpoint's. Here a module is constructed with its real shapes (from the config),
 * parameters exist immediately, forward methods take and return typed arguments like PyTorch
 * code, and names need no alias table. Gradients still come from DJL's engine autograd
 * ({@code GradientCollector}); {@link dev.alignloop.diffusion.nn.Module#attachGradients()} and
 * {@link dev.alignloop.diffusion.nn.Module#zeroGrad()} are the optimiser's helpers.
 *
 * <h2>Engine notes (DJL 0.36, PyTorch 2.7.1)</h2>
 * <ul>
 *   <li>No group_norm in DJL: {@link dev.alignloop.diffusion.nn.F#groupNorm} is the fused
 *       layer_norm over [B, G, C/G*H*W] followed by the per-channel affine (same math); the
 *       {@link dev.alignloop.diffusion.nn.GroupNorm} module caches the inner unit scale/shift
 *       (one pair per input resolution) in its parameter manager.</li>
 *   <li>No fused scaled_dot_product_attention in DJL: {@link
 *       dev.alignloop.diffusion.nn.F#scaledDotProductAttention} is the math path
 *       softmax(QK^T/sqrt(d))V; the score matrix is materialised.</li>
 *   <li>Gradient checkpointing: {@link dev.alignloop.diffusion.nn.Module#setGradientCheckpointing}
 *       is recorded but NOT YET EFFECTIVE. DJL exposes no custom autograd function (nothing
 *       like {@code torch.autograd.Function}) through which a segment could be re-run in
 *       backward, so {@code checkpoint(fn, x)} just calls {@code fn}.</li>
 *   <li>Memory: ops put results in the manager of their first argument. Forward code keeps
 *       activations first and runs in a per-call sub-manager; closing a PyTorch handle only
 *       drops a reference, so tensors saved by autograd survive it. DJL's
 *       {@code GradientCollector.backward(loss)} allocates its seed gradient (ones) in the loss's
 *       manager and never closes it: run training steps in a per-step sub-manager.</li>
 *   <li>DJL's PyTorch {@code mean(int[])} accepts one axis only: reshape first.</li>
 * </ul>
 */
package dev.alignloop.diffusion.nn;
