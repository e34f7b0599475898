package dev.alignloop.diffusion.scheduler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The arrays of one scheduler step: the inputs are temporarily attached to a sub-manager so that every
 * intermediate lands there and is freed when the step ends; {@link #keep} hands the result back to the
 * manager the sample came from.
 */
final class StepScope implements AutoCloseable {
    private final NDManager home;
    private final NDManager manager;

    StepScope(NDArray sample, NDArray... others) {
        this.home = sample.getManager();
        this.manager = home.newSubManager();
        sample.tempAttach(manager);
        for (NDArray o : others) {
            if (o != null && o != sample) {
                o.tempAttach(manager);
            }
        }
    }

    NDManager manager() {
        return manager;
    }

    /** @return {@code result}, now owned by the sample's manager */
    NDArray keep(NDArray result) {
        result.attach(home);
        return result;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** @return {@code t} as an index into the training schedule, rejecting fractional or out-of-range values */
    static int integerTimestep(float t, int numTrainTimesteps) {
        if (t != Math.rint(t) || t < 0 || t >= numTrainTimesteps) {
            throw new IllegalArgumentException(
                    "timestep " + t + " is not an integer in [0, " + numTrainTimesteps + ")");
        }
        return (int) t;
    }

    /** diffusers draws from torch's global generator when none is passed; this is its unseeded stand-in. */
    static NoiseGenerator unseeded() {
        return NoiseGenerator.ofSeeds(new java.security.SecureRandom().nextLong());
    }
}
