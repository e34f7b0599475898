package dev.alignloop.reward;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Several reward models combined as the weighted mean of their standardized scores:
 * {@code score = sum_i w_i (s_i - mean_i) / std_i / sum_i w_i}.
 *
 * <p>Standardization puts models with different scales (PickScore logits ~20, HPS ~0.3) on one
 * footing. Each member's mean/std come from, in order of preference:
 * <ol>
 *   <li>fixed stats given to the builder or found in the member's manifest ({@code "stats"}):
 *       labels are then a pure function of the images, reproducible across restarts; or</li>
 *   <li>running stats (Welford) over every score the member has produced in this process,
 *       including the current batch. Until {@code warmup} scores have been seen the member uses
 *       mean 0 / std 1 (raw scores). Running stats make a label depend on history; prefer fixed
 *       stats in production.</li>
 * </ol>
 * For pair labels only the std matters: the mean cancels in {@code scoreA - scoreB}.
 *
 * <p>The ensemble's {@link #id()} hashes its members' ids, weights and stats, so a label records
 * exactly which combination produced it. Thread-safe; {@link #close()} closes the members.
 */
public final class RewardEnsemble implements RewardModel {

    private final List<Member> members;
    private final RewardModelId id;
    private final int warmup;

    private RewardEnsemble(List<Member> members, int warmup) {
        this.members = List.copyOf(members);
        this.warmup = warmup;
        String desc = this.members.stream().map(m -> m.model.id().name() + ":" + m.model.id().sha256() + ":" + m.weight
                + ":" + (m.fixed == null ? "running/" + warmup : m.fixed.mean() + "/" + m.fixed.std()))
                .collect(Collectors.joining("\n"));
        String name = this.members.stream().map(m -> m.model.id().name()).collect(Collectors.joining("+", "ensemble(", ")"));
        this.id = new RewardModelId(name, RewardManifest.sha256(desc.getBytes(StandardCharsets.UTF_8)));
    }

    /** A builder; add at least one member. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RewardModelId id() {
        return id;
    }

    /** The members' ids, in order (for labels and logs). */
    public List<RewardModelId> memberIds() {
        return members.stream().map(m -> m.model.id()).toList();
    }

    @Override
    public double[] score(List<String> prompts, List<BufferedImage> images) {
        return scoreDetailed(prompts, images).combined();
    }

    /** Combined scores plus every member's raw scores. */
    public Scores scoreDetailed(List<String> prompts, List<BufferedImage> images) {
        int n = images.size();
        double[] combined = new double[n];
        double[][] raw = new double[members.size()][];
        double weightSum = 0;
        for (int k = 0; k < members.size(); k++) {
            Member m = members.get(k);
            raw[k] = m.model.score(prompts, images);
            double[] meanStd = m.standardization(raw[k], warmup);
            for (int i = 0; i < n; i++) {
                combined[i] += m.weight * (raw[k][i] - meanStd[0]) / meanStd[1];
            }
            weightSum += m.weight;
        }
        for (int i = 0; i < n; i++) {
            combined[i] /= weightSum;
        }
        return new Scores(combined, raw, memberIds());
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Member m : members) {
            try {
                m.model.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Result of {@link #scoreDetailed}.
     *
     * @param combined weighted mean of standardized scores, one per image
     * @param perModel raw scores, {@code [member][image]}
     * @param models   member ids, in the order of {@code perModel}
     */
    public record Scores(double[] combined, double[][] perModel, List<RewardModelId> models) {
    }

    /** One member: a model, its weight, and fixed stats or running ones. */
    private static final class Member {
        final RewardModel model;
        final double weight;
        final RewardManifest.ScoreStats fixed;
        private long count;
        private double mean;
        private double m2;

        Member(RewardModel model, double weight, RewardManifest.ScoreStats fixed) {
            this.model = model;
            this.weight = weight;
            this.fixed = fixed;
        }

        /** {mean, std} to standardize {@code batch} with; updates the running stats first. */
        synchronized double[] standardization(double[] batch, int warmup) {
            if (fixed != null) {
                return new double[] {fixed.mean(), fixed.std()};
            }
            for (double x : batch) { // Welford
                count++;
                double d = x - mean;
                mean += d / count;
                m2 += d * (x - mean);
            }
            double std = count > 1 ? Math.sqrt(m2 / (count - 1)) : 0;
            return count >= warmup && std > 0 ? new double[] {mean, std} : new double[] {0, 1};
        }
    }

    /** Builds a {@link RewardEnsemble}. */
    public static final class Builder {
        private final List<Member> members = new ArrayList<>();
        private int warmup = 32;

        private Builder() {
        }

        /**
         * Adds a member. Uses the manifest's {@code stats} when the model is an
         * {@link OnnxRewardScorer} whose manifest has them, running stats otherwise.
         */
        public Builder add(RewardModel model, double weight) {
            RewardManifest.ScoreStats stats = model instanceof OnnxRewardScorer s ? s.manifest().stats() : null;
            return add(model, weight, stats);
        }

        /** Adds a member with fixed stats ({@code null}: running stats). */
        public Builder add(RewardModel model, double weight, RewardManifest.ScoreStats stats) {
            Objects.requireNonNull(model, "model");
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight of " + model.id().name() + " must be finite and > 0, got " + weight);
            }
            members.add(new Member(model, weight, stats));
            return this;
        }

        /** Scores a running-stats member must see before its stats are used (default 32). */
        public Builder optWarmup(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("warmup must be >= 2, got " + n);
            }
            this.warmup = n;
            return this;
        }

        /** The ensemble. */
        public RewardEnsemble build() {
            if (members.isEmpty()) {
                throw new IllegalStateException("an ensemble needs at least one member");
            }
            return new RewardEnsemble(members, warmup);
        }
    }
}
