package dev.alignloop.diffusion.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * {@code transformers.optimization.Adafactor} (Shazeer and Stern 2018) with an explicit learning
 * rate: factored second moments (row and column means) for parameters of rank ≥ 2, a full one
 * otherwise, update clipping by RMS, optional first moment and decoupled weight decay.
 *
 * <p>State per parameter: {@code step}, {@code RMS} (the parameter's RMS before the update),
 * {@code exp_avg_sq_row} {@code shape[:-1]} and {@code exp_avg_sq_col}
 * {@code shape[:-2] + shape[-1:]} (factored) or {@code exp_avg_sq}, and {@code exp_avg} if
 * {@code beta1} is set.
 */
public final class Adafactor implements Optimizer {
    private final AdafactorConfig config;
    private final OptimizerState state;

    public Adafactor(AdafactorConfig config, NDManager manager) {
        this.config = config;
        this.state = new OptimizerState(manager);
    }

    public AdafactorConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "Adafactor";
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray grad = grads.get(e.getKey());
            if (grad != null) {
                update(e.getKey(), e.getValue(), grad, lr);
            }
        }
    }

    private void update(String name, NDArray p, NDArray grad, double baseLr) {
        Shape shape = grad.getShape();
        if (!shape.equals(p.getShape())) {
            throw new IllegalArgumentException("gradient of '" + name + "' has shape " + shape + ", the parameter " + p.getShape());
        }
        int rank = shape.dimension();
        boolean factored = rank >= 2;
        boolean firstMoment = config.beta1() != null;
        Map<String, NDArray> s = state.get(name);
        if (s == null) {
            s = state.create(name);
            NDManager m = state.manager();
            if (firstMoment) {
                s.put("exp_avg", state.keep(m.zeros(shape, DataType.FLOAT32)));
            }
            if (factored) {
                // torch.zeros(grad_shape[:-1]); torch.zeros(grad_shape[:-2] + grad_shape[-1:])
                s.put("exp_avg_sq_row", state.keep(m.zeros(shape.slice(0, rank - 1), DataType.FLOAT32)));
                s.put("exp_avg_sq_col", state.keep(m.zeros(shape.slice(0, rank - 2).add(shape.get(rank - 1)), DataType.FLOAT32)));
            } else {
                s.put("exp_avg_sq", state.keep(m.zeros(shape, DataType.FLOAT32)));
            }
            state.setStep(s, 0);
        }
        long step = OptimizerState.step(s) + 1;
        state.setStep(s, step);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // state["RMS"] = self._rms(p_data_fp32); lr = self._get_lr(group, state)
            NDArray rmsParam = rms(p);
            NDArray oldRms = s.put("RMS", state.keep(rmsParam.duplicate()));
            if (oldRms != null) {
                oldRms.close();
            }
            double lr = baseLr;
            if (config.scaleParameter()) {
                // param_scale = max(eps[1], state["RMS"])
                lr *= Math.max(config.eps2(), rmsParam.getFloat());
            }
            // beta2t = 1.0 - math.pow(state["step"], group["decay_rate"])
            double beta2t = 1.0 - Math.pow(step, config.decayRate());
            // update = (grad**2) + group["eps"][0]
            NDArray update = grad.square().addi((float) config.eps1());
            if (factored) {
                NDArray row = s.get("exp_avg_sq_row");
                NDArray col = s.get("exp_avg_sq_col");
                // exp_avg_sq_row.mul_(beta2t).add_(update.mean(dim=-1), alpha=(1.0 - beta2t))
                row.muli((float) beta2t).addi(update.mean(new int[] {rank - 1}).muli((float) (1.0 - beta2t)));
                // exp_avg_sq_col.mul_(beta2t).add_(update.mean(dim=-2), alpha=(1.0 - beta2t))
                col.muli((float) beta2t).addi(update.mean(new int[] {rank - 2}).muli((float) (1.0 - beta2t)));
                // update = _approx_sq_grad(row, col); update.mul_(grad)
                NDArray rFactor = row.div(row.mean(new int[] {rank - 2}, true)).sqrt().pow(-1).expandDims(rank - 1);
                NDArray cFactor = col.expandDims(rank - 2).sqrt().pow(-1);
                update = rFactor.mul(cFactor).muli(grad);
            } else {
                NDArray sq = s.get("exp_avg_sq");
                // exp_avg_sq.mul_(beta2t).add_(update, alpha=(1.0 - beta2t)); update = exp_avg_sq.rsqrt().mul_(grad)
                sq.muli((float) beta2t).addi(update.muli((float) (1.0 - beta2t)));
                update = sq.sqrt().pow(-1).muli(grad);
            }
            // update.div_((self._rms(update) / group["clip_threshold"]).clamp_(min=1.0)); update.mul_(lr)
            update.divi(rms(update).divi((float) config.clipThreshold()).maximum(1f)).muli((float) lr);
            if (firstMoment) {
                double beta1 = config.beta1();
                NDArray expAvg = s.get("exp_avg");
                // exp_avg.mul_(beta1).add_(update, alpha=(1 - beta1)); update = exp_avg
                expAvg.muli((float) beta1).addi(update.mul((float) (1 - beta1)));
                update = expAvg;
            }
            if (config.weightDecay() != 0) {
                // p.add_(p, alpha=(-weight_decay * lr))
                p.addi(p.mul((float) (-config.weightDecay() * lr)));
            }
            // p.add_(-update)
            p.subi(update);
        }
    }

    /** {@code tensor.norm(2) / (tensor.numel() ** 0.5)}. */
    private static NDArray rms(NDArray t) {
        return t.norm().divi((float) Math.sqrt(t.getShape().size()));
    }

    @Override
    public Map<String, NDArray> stateDict() {
        return state.flatten();
    }

    @Override
    public void loadStateDict(Map<String, NDArray> dict) {
        state.load(dict, "step", "RMS", "exp_avg", "exp_avg_sq", "exp_avg_sq_row", "exp_avg_sq_col");
    }

    @Override
    public void close() {
        state.close();
    }
}
