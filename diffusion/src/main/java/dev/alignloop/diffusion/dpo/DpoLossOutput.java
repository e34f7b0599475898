package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;

/**
 * Everything {@link DpoLoss#dpo} computes, as arrays on the inputs' device. Only {@code loss}
 * carries the autograd graph of the policy; the rest are diagnostics.
 *
 * @param loss scalar {@code -mean(logsigmoid(inside))}
 * @param implicitAcc scalar fraction of pairs with {@code inside > 0}
 * @param modelDiff {@code [B]} policy {@code mse_w - mse_l}
 * @param refDiff {@code [B]} reference {@code mse_w - mse_l}
 * @param modelLossesW {@code [B]} policy MSE of the winners
 * @param modelLossesL {@code [B]} policy MSE of the losers
 * @param refLossesW {@code [B]} reference MSE of the winners
 * @param refLossesL {@code [B]} reference MSE of the losers
 * @param insideTerm {@code [B]} {@code -0.5 * beta * (model_diff - ref_diff)}: the implicit reward margin
 */
public record DpoLossOutput(
        NDArray loss,
        NDArray implicitAcc,
        NDArray modelDiff,
        NDArray refDiff,
        NDArray modelLossesW,
        NDArray modelLossesL,
        NDArray refLossesW,
        NDArray refLossesL,
        NDArray insideTerm) {

    /** Host copies of the scalar diagnostics; {@code labelMargin} is passed through (NaN if unknown). */
    public DpoMetrics metrics(double labelMargin) {
        double mw = mean(modelLossesW);
        double ml = mean(modelLossesL);
        double rw = mean(refLossesW);
        double rl = mean(refLossesL);
        return new DpoMetrics(
                TrainMethod.DPO,
                scalar(loss),
                scalar(implicitAcc),
                mw,
                ml,
                rw,
                rl,
                0.5 * (mw + ml),
                0.5 * (rw + rl),
                mean(insideTerm),
                labelMargin);
    }

    static double scalar(NDArray a) {
        return a.toFloatArray()[0];
    }

    static double mean(NDArray a) {
        float[] v = a.toFloatArray();
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }
}
