package dev.alignloop.diffusion.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alignloop.diffusion.nn.Activation;
import dev.alignloop.diffusion.nn.Conv2d;
import dev.alignloop.diffusion.nn.F;
import dev.alignloop.diffusion.nn.GroupNorm;
import dev.alignloop.diffusion.nn.Module;
import dev.alignloop.diffusion.nn.ModuleList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers {@code UNet2DConditionModel} (v0.25.0 semantics) built from a {@link
 * UNet2DConditionConfig}; parameter paths equal the diffusers checkpoint names. Loading and
 * saving: {@link UNetCheckpoints}.
 *
 * <p>Children, in diffusers' order: {@code conv_in}, {@code time_proj}, {@code time_embedding},
 * {@code add_time_proj}/{@code add_embedding} (text_time only), {@code down_blocks.i},
 * {@code up_blocks.i}, {@code mid_block}, {@code conv_norm_out}, {@code conv_out}.
 */
public final class UNet2DConditionModel extends Module {
    private final UNet2DConditionConfig config;
    private final NDManager manager;
    private final Conv2d convIn;                    // (block_out_channels[0], in_channels, k, k)
    private final Timesteps timeProj;
    private final TimestepEmbedding timeEmbedding;  // block_out_channels[0] → time_embed_dim
    private final Timesteps addTimeProj;            // text_time only
    private final TimestepEmbedding addEmbedding;   // text_time only: projection_class_embeddings_input_dim → time_embed_dim
    private final Activation timeEmbedAct;          // time_embedding_act_fn or null
    private final ModuleList<DownBlock> downBlocks;
    private final ModuleList<UpBlock> upBlocks;
    private final UNetMidBlock2DCrossAttn midBlock; // null when mid_block_type is null
    private final GroupNorm convNormOut;
    private final Activation convAct;
    private final Conv2d convOut;                   // (out_channels, block_out_channels[0], k, k)
    private final int numUpsamplers;

    /**
     * Builds the module tree with zero/one-filled parameters in {@code manager}; use {@link
     * #random} or {@link UNetCheckpoints#fromPretrained} for real weights.
     */
    public UNet2DConditionModel(UNet2DConditionConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
        List<Integer> ch = config.blockOutChannels();
        int n = config.numBlocks();
        int timeEmbedDim = config.timeEmbedDim();
        Activation act = config.activation();
        this.convIn = register("conv_in", new Conv2d(manager, config.inChannels(), ch.get(0), config.convInKernel(), 1,
                (config.convInKernel() - 1) / 2));
        this.timeProj = register("time_proj", new Timesteps(ch.get(0), config.flipSinToCos(), config.freqShift()));
        this.timeEmbedding = register("time_embedding", new TimestepEmbedding(manager, ch.get(0), timeEmbedDim, act,
                config.timestepPostAct() == null ? null : Activation.fromName("timestep_post_act", config.timestepPostAct())));
        if (config.usesTextTime()) {
            this.addTimeProj = register("add_time_proj", new Timesteps(config.additionTimeEmbedDim(),
                    config.flipSinToCos(), config.freqShift()));
            // TimestepEmbedding(projection_class_embeddings_input_dim, time_embed_dim): act_fn defaults to silu
            this.addEmbedding = register("add_embedding", new TimestepEmbedding(manager,
                    config.projectionClassEmbeddingsInputDim(), timeEmbedDim, Activation.SILU, null));
        } else {
            this.addTimeProj = null;
            this.addEmbedding = null;
        }
        this.timeEmbedAct = config.timeEmbeddingActFn() == null ? null
                : Activation.fromName("time_embedding_act_fn", config.timeEmbeddingActFn());
        this.downBlocks = register("down_blocks", new ModuleList<>());
        this.upBlocks = register("up_blocks", new ModuleList<>());
        int out = ch.get(0);
        for (int i = 0; i < n; i++) {
            int in = out;
            out = ch.get(i);
            downBlocks.add(new DownBlock(manager, config, i, in, i != n - 1));
        }
        this.midBlock = config.midBlockType() == null ? null
                : register("mid_block", new UNetMidBlock2DCrossAttn(manager, config));
        int prev = ch.get(n - 1);
        for (int i = 0; i < n; i++) {
            upBlocks.add(new UpBlock(manager, config, i, prev, i != n - 1));
            prev = ch.get(n - 1 - i);
        }
        this.numUpsamplers = n - 1;
        this.convNormOut = register("conv_norm_out", new GroupNorm(manager, config.normNumGroups(), ch.get(0),
                (float) config.normEps(), true));
        this.convAct = act;
        this.convOut = register("conv_out", new Conv2d(manager, ch.get(0), config.outChannels(), config.convOutKernel(), 1,
                (config.convOutKernel() - 1) / 2));
        train(false); // like a loaded diffusers model (eval); call train(true) for dropout
    }

    /**
     * A randomly initialised model (see {@link dev.alignloop.diffusion.nn.Init}: PyTorch-like
     * kaiming-uniform weights, zero biases, unit norm weights), deterministic in {@code seed}.
     */
    public static UNet2DConditionModel random(UNet2DConditionConfig config, long seed, NDManager manager) {
        UNet2DConditionModel model = new UNet2DConditionModel(config, manager);
        model.initialize(seed);
        return model;
    }

    /** Loads {@code unetDir/config.json} and {@code diffusion_pytorch_model.safetensors} (strict). */
    public static UNet2DConditionModel fromPretrained(Path unetDir, NDManager manager) {
        return UNetCheckpoints.fromPretrained(unetDir, manager);
    }

    /** Writes {@code config.json} and {@code diffusion_pytorch_model.safetensors} into {@code unetDir}. */
    public void save(Path unetDir) {
        UNetCheckpoints.save(this, unetDir);
    }

    /** The config this model was built from. */
    public UNet2DConditionConfig config() {
        return config;
    }

    /** The manager holding the parameters. */
    public NDManager manager() {
        return manager;
    }

    /**
     * {@code unet(sample, timestep, encoder_hidden_states, added_cond_kwargs=added).sample}.
     *
     * <p>All intermediates live in a per-call sub-manager closed before returning; the result is
     * attached to {@code sample}'s manager. Safe under a {@code GradientCollector} (the autograd
     * graph keeps what backward needs).
     *
     * @param sample [B, in_channels, H, W]
     * @param timestep [B] or a scalar (any numeric type; broadcast to B)
     * @param encoderHiddenStates [B, L, cross_attention_dim]
     * @param added text_embeds [B, E] and time_ids [B, K] for text_time configs; otherwise null
     * @return [B, out_channels, H, W]
     */
    public NDArray forward(NDArray sample, NDArray timestep, NDArray encoderHiddenStates, AddedCond added) {
        Shape shape = sample.getShape();
        if (shape.dimension() != 4 || shape.get(1) != config.inChannels()) {
            throw new IllegalArgumentException("sample must be [B, " + config.inChannels() + ", H, W], got " + shape);
        }
        if (config.usesTextTime() && added == null) {
            throw new IllegalArgumentException("addition_embed_type=\"text_time\" needs text_embeds and time_ids");
        }
        NDManager caller = sample.getManager();
        try (NDManager scope = caller.newSubManager()) {
            scope.tempAttachAll(sample, timestep, encoderHiddenStates);
            if (added != null) {
                scope.tempAttachAll(added.textEmbeds(), added.timeIds());
            }
            NDArray out = forwardInScope(scope, sample, timestep, encoderHiddenStates, added);
            out.attach(caller);
            return out;
        }
    }

    private NDArray forwardInScope(NDManager scope, NDArray sample, NDArray timestep, NDArray context, AddedCond added) {
        long b = sample.getShape().get(0);
        long factor = 1L << numUpsamplers;
        // forward_upsample_size: any spatial dim not divisible by 2 ** num_upsamplers
        boolean forwardUpsampleSize = sample.getShape().get(2) % factor != 0 || sample.getShape().get(3) % factor != 0;
        NDArray x = sample;
        if (config.centerInputSample()) {
            try (NDArray twice = F.mulScalar(sample, 2f)) {
                x = twice.sub(1); // sample = 2 * sample - 1.0
            }
        }
        NDArray emb = timeEmbedding(scope, timestep, b, added);

        // sample = self.conv_in(sample)
        NDArray h = convIn.forward(x);
        List<NDArray> res = new ArrayList<>();
        res.add(h);
        for (DownBlock block : downBlocks) {
            List<NDArray> states = block.forward(h, emb, context);
            res.addAll(states);
            h = states.get(states.size() - 1);
        }
        if (midBlock != null) {
            h = midBlock.forward(h, emb, context);
        }
        for (int i = 0; i < upBlocks.size(); i++) {
            UpBlock block = upBlocks.get(i);
            int k = block.numResnets();
            List<NDArray> skips = new ArrayList<>(res.subList(res.size() - k, res.size()));
            res.subList(res.size() - k, res.size()).clear();
            long[] upsampleSize = null;
            if (i != upBlocks.size() - 1 && forwardUpsampleSize) {
                Shape s = res.get(res.size() - 1).getShape(); // down_block_res_samples[-1].shape[2:]
                upsampleSize = new long[] {s.get(2), s.get(3)};
            }
            NDArray next = block.forward(h, skips, emb, context, upsampleSize);
            skips.forEach(NDArray::close);
            h.close();
            h = next;
        }
        NDArray out;
        try (NDArray n = convNormOut.forward(h); NDArray a = convAct.apply(n)) {
            out = convOut.forward(a);
        }
        return out;
    }

    /** t_emb → time_embedding (+ add_embedding for text_time) → time_embed_act: [B, time_embed_dim]. */
    private NDArray timeEmbedding(NDManager scope, NDArray timestep, long b, AddedCond added) {
        NDArray t = timestep;
        if (t.getShape().dimension() == 0 || t.getShape().size() == 1) {
            t = t.reshape(1).repeat(0, b); // timesteps.expand(sample.shape[0])
        } else if (t.getShape().dimension() != 1 || t.getShape().get(0) != b) {
            throw new IllegalArgumentException("timestep must be a scalar or [" + b + "], got " + t.getShape());
        }
        NDArray emb;
        try (NDArray tEmb = timeProj.forward(t)) {
            emb = timeEmbedding.forward(tEmb);
        }
        if (addEmbedding != null) {
            // time_embeds = add_time_proj(time_ids.flatten()).reshape((text_embeds.shape[0], -1))
            // add_embeds = torch.concat([text_embeds, time_embeds], dim=-1); aug_emb = add_embedding(add_embeds)
            NDArray textEmbeds = added.textEmbeds().toType(DataType.FLOAT32, false);
            try (NDArray flat = added.timeIds().flatten(); NDArray te = addTimeProj.forward(flat);
                 NDArray ter = te.reshape(textEmbeds.getShape().get(0), -1); NDArray cat = F.cat(-1, textEmbeds, ter);
                 NDArray aug = addEmbedding.forward(cat); NDArray pre = emb) {
                emb = pre.add(aug);
            }
        }
        if (timeEmbedAct != null) {
            try (NDArray pre = emb) {
                emb = timeEmbedAct.apply(pre);
            }
        }
        return emb;
    }
}
