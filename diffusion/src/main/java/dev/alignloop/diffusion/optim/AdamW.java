package dev.alignloop.diffusion.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Map;

/**
 * {@code torch.optim.AdamW} (single-tensor path, {@code amsgrad=False}): decoupled weight decay
 * {@code p *= 1 - lr * wd}, bias-corrected moments, ε added outside the square root.
 */
public final class AdamW implements Optimizer {
    private final AdamWConfig config;
    private final OptimizerState state;

    /**
     * @param config hyper-parameters
     * @param manager parent manager of the optimizer state
     */
    public AdamW(AdamWConfig config, NDManager manager) {
        this.config = config;
        this.state = new OptimizerState(manager);
    }

    public AdamWConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "AdamW";
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        double beta1 = config.beta1();
        double beta2 = config.beta2();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray grad = grads.get(e.getKey());
            if (grad == null) {
                continue;
            }
            NDArray param = e.getValue();
            if (!grad.getShape().equals(param.getShape())) {
                throw new IllegalArgumentException("gradient of '" + e.getKey() + "' has shape " + grad.getShape()
                        + ", the parameter " + param.getShape());
            }
            Map<String, NDArray> s = state.get(e.getKey());
            if (s == null) {
                s = state.create(e.getKey());
                s.put("exp_avg", state.keep(state.manager().zeros(param.getShape(), param.getDataType())));
                s.put("exp_avg_sq", state.keep(state.manager().zeros(param.getShape(), param.getDataType())));
                state.setStep(s, 0);
            }
            long step = OptimizerState.step(s) + 1;
            state.setStep(s, step);
            NDArray expAvg = s.get("exp_avg");
            NDArray expAvgSq = s.get("exp_avg_sq");
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // param.mul_(1 - lr * weight_decay)
                if (config.weightDecay() != 0) {
                    param.muli((float) (1 - lr * config.weightDecay()));
                }
                // exp_avg.lerp_(grad, 1 - beta1)
                expAvg.addi(grad.sub(expAvg).muli((float) (1 - beta1)));
                // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                expAvgSq.muli((float) beta2).addi(grad.mul(grad).muli((float) (1 - beta2)));
                double biasCorrection1 = 1 - Math.pow(beta1, step);
                double biasCorrection2 = 1 - Math.pow(beta2, step);
                double stepSize = lr / biasCorrection1;
                // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                NDArray denom = expAvgSq.sqrt().divi((float) Math.sqrt(biasCorrection2)).addi((float) config.eps());
                // param.addcdiv_(exp_avg, denom, value=-step_size)
                param.subi(expAvg.div(denom).muli((float) stepSize));
            }
        }
    }

    @Override
    public Map<String, NDArray> stateDict() {
        return state.flatten();
    }

    @Override
    public void loadStateDict(Map<String, NDArray> dict) {
        state.load(dict, "exp_avg", "exp_avg_sq", "step");
    }

    @Override
    public void close() {
        state.close();
    }
}
