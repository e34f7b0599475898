/**
 * LoRA (Hu et al. 2021) for the UNet, as peft and diffusers do it: low-rank adapters on chosen
 * {@code Linear} layers (by default the attention projections {@code to_q}, {@code to_k},
 * {@code to_v}, {@code to_out.0}), trained while the base weights stay frozen, saved in the
 * diffusers/peft file format ({@code pytorch_lora_weights.safetensors}, keys
 * {@code unet.<module>.lora_A.weight} / {@code .lora_B.weight}) and mergeable into the base
 * weights, which gives a plain diffusers {@code unet/} folder every loader reads.
 *
 * <ul>
 *   <li>{@link dev.alignloop.diffusion.lora.LoraConfig}: rank, alpha, targets, dropout (peft's
 *       {@code LoraConfig}).</li>
 *   <li>{@link dev.alignloop.diffusion.lora.LoraAdapters}: injects the adapters into a model and
 *       holds their parameters under the peft names (the module an optimizer steps), merges them.</li>
 *   <li>{@link dev.alignloop.diffusion.lora.LoraWeights}: the file format (save, read, load onto
 *       a UNet, merge a {@code unet/} folder).</li>
 * </ul>
 */
package dev.alignloop.diffusion.lora;
