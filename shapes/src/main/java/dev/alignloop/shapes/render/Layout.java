package dev.alignloop.shapes.render;

import dev.alignloop.shapes.prompt.Relation;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Places object origins so that every object lies inside the image with a border margin, no two
 * bounding boxes come closer than the minimum gap, and a stated relation holds with margin.
 * Returns {@code null} when it finds no placement, so the caller can retry with less jitter.
 */
final class Layout {
    /** The judge accepts a relation when the primary offset exceeds the cross offset; we draw at 2×. */
    static final double RENDER_DOMINANCE = 2.0;
    private static final int ATTEMPTS = 400;
    private static final int TRIES_PER_OBJECT = 40;

    private final double n;
    private final double margin;
    private final double gap;

    Layout(RenderConfig config) {
        this.n = config.imageSize();
        this.margin = config.borderMargin();
        this.gap = config.minGap();
    }

    /** Origins {x, y} for each footprint, or {@code null}. {@code relation} may be {@code null}. */
    double[][] place(List<Footprint> fps, Relation relation, RandomGenerator rng) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double[][] origins = relation == null ? proposeFree(fps, rng) : proposeRelated(fps, relation, rng);
            if (origins != null && valid(fps, origins, relation)) {
                return origins;
            }
        }
        return null;
    }

    /**
     * Objects placed one after another, each uniformly where it does not collide with those
     * already placed (up to {@link #TRIES_PER_OBJECT} draws each): tight scenes such as three
     * large objects at 32 px are found in a few attempts, where independent placement of all
     * objects would almost never succeed.
     */
    private double[][] proposeFree(List<Footprint> fps, RandomGenerator rng) {
        double[][] o = new double[fps.size()][];
        for (int i = 0; i < fps.size(); i++) {
            Footprint f = fps.get(i);
            for (int t = 0; t < TRIES_PER_OBJECT && o[i] == null; t++) {
                double x = uniform(rng, margin - f.minX, n - margin - f.maxX);
                double y = uniform(rng, margin - f.minY, n - margin - f.maxY);
                if (Double.isNaN(x) || Double.isNaN(y)) {
                    return null;
                }
                boolean free = true;
                for (int j = 0; j < i && free; j++) {
                    free = apart(f, x, y, fps.get(j), o[j][0], o[j][1]);
                }
                if (free) {
                    o[i] = new double[] {x, y};
                }
            }
            if (o[i] == null) {
                return null;
            }
        }
        return o;
    }

    /**
     * Two objects along the relation's axis: the free length is split into (before, extra gap,
     * after) by a uniform Dirichlet draw, so tight pairs (two large objects at 32 px) are placed
     * on the first try while loose pairs still vary widely. The cross axis is uniform.
     */
    private double[][] proposeRelated(List<Footprint> fps, Relation relation, RandomGenerator rng) {
        // LEFT_OF / ABOVE: subject leads (left / top); RIGHT_OF / BELOW: object leads.
        boolean subjectLeads = relation == Relation.LEFT_OF || relation == Relation.ABOVE;
        Footprint lead = fps.get(subjectLeads ? 0 : 1);
        Footprint follow = fps.get(subjectLeads ? 1 : 0);
        boolean h = relation.horizontal();
        double leadLen = h ? lead.width() : lead.height();
        double followLen = h ? follow.width() : follow.height();
        double slack = n - 2 * margin - leadLen - gap - followLen;
        if (slack < 0) {
            return null;
        }
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        double before = slack * Math.min(u1, u2);
        double extraGap = slack * Math.abs(u1 - u2);
        double leadStart = margin + before;
        double followStart = leadStart + leadLen + gap + extraGap;
        double leadAxis = leadStart - (h ? lead.minX : lead.minY);
        double followAxis = followStart - (h ? follow.minX : follow.minY);
        double leadCross = h ? uniform(rng, margin - lead.minY, n - margin - lead.maxY)
                : uniform(rng, margin - lead.minX, n - margin - lead.maxX);
        double followCross = h ? uniform(rng, margin - follow.minY, n - margin - follow.maxY)
                : uniform(rng, margin - follow.minX, n - margin - follow.maxX);
        if (Double.isNaN(leadCross) || Double.isNaN(followCross)) {
            return null;
        }
        double[] l = h ? new double[] {leadAxis, leadCross} : new double[] {leadCross, leadAxis};
        double[] f = h ? new double[] {followAxis, followCross} : new double[] {followCross, followAxis};
        return subjectLeads ? new double[][] {l, f} : new double[][] {f, l};
    }

    private boolean valid(List<Footprint> fps, double[][] o, Relation relation) {
        for (int i = 0; i < fps.size(); i++) {
            Footprint a = fps.get(i);
            if (o[i][0] + a.minX < margin - 1e-9 || o[i][0] + a.maxX > n - margin + 1e-9
                    || o[i][1] + a.minY < margin - 1e-9 || o[i][1] + a.maxY > n - margin + 1e-9) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (!apart(a, o[i][0], o[i][1], fps.get(j), o[j][0], o[j][1])) {
                    return false;
                }
            }
        }
        if (relation != null) {
            Footprint s = fps.get(0);
            Footprint t = fps.get(1);
            return relation.holds(o[0][0] + s.centroidX, o[0][1] + s.centroidY,
                    o[1][0] + t.centroidX, o[1][1] + t.centroidY, gap, RENDER_DOMINANCE);
        }
        return true;
    }

    /** Whether two placed bounding boxes are at least the gap apart along x or along y. */
    private boolean apart(Footprint a, double ax, double ay, Footprint b, double bx, double by) {
        boolean apartX = ax + a.minX >= bx + b.maxX + gap || bx + b.minX >= ax + a.maxX + gap;
        boolean apartY = ay + a.minY >= by + b.maxY + gap || by + b.minY >= ay + a.maxY + gap;
        return apartX || apartY;
    }

    private static double uniform(RandomGenerator rng, double lo, double hi) {
        double u = rng.nextDouble(); // drawn even when the range is empty, to keep the stream aligned
        if (hi < lo) {
            return Double.NaN;
        }
        return lo + u * (hi - lo);
    }
}
