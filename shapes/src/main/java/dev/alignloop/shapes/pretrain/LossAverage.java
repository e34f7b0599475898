package dev.alignloop.shapes.pretrain;

/** Bias-corrected exponential moving average of a loss (as Adam corrects its moments). */
final class LossAverage {
    private final double beta;
    private double value;
    private long n;

    LossAverage(double weight) {
        this.beta = 1 - weight;
    }

    void add(double x) {
        value = beta * value + (1 - beta) * x;
        n++;
    }

    double get() {
        return n == 0 ? Double.NaN : value / (1 - Math.pow(beta, n));
    }
}
