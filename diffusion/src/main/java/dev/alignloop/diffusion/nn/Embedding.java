package dev.alignloop.diffusion.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** {@code nn.Embedding(num_embeddings, embedding_dim)}: weight [num, dim], initialised N(0, 1). */
public final class Embedding extends Module {
    private final Parameter weight; // (num, dim)

    /** An embedding table with parameters in {@code manager}. */
    public Embedding(NDManager manager, long num, long dim) {
        this.weight = parameter(manager, "weight", Init.normal(1.0), num, dim);
    }

    /** ids [...] (integer) → [..., dim]. */
    public NDArray forward(NDArray ids) {
        if (ids.getDataType() != DataType.INT64) {
            try (NDArray l = ids.toType(DataType.INT64, false)) {
                return forward(l);
            }
        }
        return ids.getNDArrayInternal().embedding(ids, weight.array(), ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
