package dev.alignloop.shapes.pretrain;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Sets PyTorch's intra-op thread count for this process (what {@code torch.set_num_threads} does). */
public final class EngineThreads {
    private EngineThreads() {
    }

    /** Sets the intra-op thread count (loading the engine if needed). */
    public static void configure(int threads) {
        Engine.getInstance(); // loads the native library
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
    }
}
