package dev.alignloop.diffusion.dpo;

/** The objective a training step optimises ({@code --train_method} of the official script). */
public enum TrainMethod {
    /** Diffusion-DPO on [winner; loser] pairs against a frozen reference. */
    DPO,
    /** Supervised fine-tuning baseline: plain denoising loss on the winners only. */
    SFT
}
