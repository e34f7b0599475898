package dev.alignloop.diffusion.dpo;

import ai.djl.ndarray.NDArray;

/** A DDPM scaled_linear schedule (SD 1.5 defaults) for tests. */
final class TestSchedules {
    private TestSchedules() {
    }

    static NoiseSchedule sd15(NoiseSchedule.Target target) {
        int n = 1000;
        float[] acp = new float[n];
        double prod = 1;
        for (int i = 0; i < n; i++) {
            double sb = Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) * i / (n - 1);
            prod *= 1 - sb * sb;
            acp[i] = (float) prod;
        }
        return new NoiseSchedule() {
            private NDArray coef(NDArray like, NDArray t, boolean signal) {
                long[] ts = t.toLongArray();
                float[] c = new float[ts.length];
                for (int i = 0; i < ts.length; i++) {
                    float a = acp[(int) ts[i]];
                    c[i] = (float) (signal ? Math.sqrt(a) : Math.sqrt(1 - a));
                }
                return like.getManager().create(c).reshape(ts.length, 1, 1, 1);
            }

            @Override
            public NDArray addNoise(NDArray original, NDArray noise, NDArray timesteps) {
                return original.mul(coef(original, timesteps, true)).add(noise.mul(coef(original, timesteps, false)));
            }

            @Override
            public NDArray getVelocity(NDArray sample, NDArray noise, NDArray timesteps) {
                return noise.mul(coef(sample, timesteps, true)).sub(sample.mul(coef(sample, timesteps, false)));
            }

            @Override
            public Target target() {
                return target;
            }

            @Override
            public int numTrainTimesteps() {
                return n;
            }
        };
    }
}
