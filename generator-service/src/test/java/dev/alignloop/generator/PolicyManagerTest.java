package dev.alignloop.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.diffusion.pretrained.DiffusionPolicy;
import dev.alignloop.diffusion.pretrained.SamplingOptions;
import dev.alignloop.diffusion.checkpoint.CheckpointLocator;
import dev.alignloop.generator.policy.PolicyLease;
import dev.alignloop.generator.policy.PolicyListener;
import dev.alignloop.generator.policy.PolicyManager;
import dev.alignloop.generator.policy.PolicyVersion;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot swaps between batches: leases, retirement, ordering, failed loads. */
class PolicyManagerTest {
    @TempDir
    Path tmp;

    @Test
    void aBatchInFlightFinishesOnTheOldPolicyWhichIsThenFreed() {
        Path base = TestModels.baseModel(tmp.resolve("base"), 3);
        Checkpoint v1 = TestModels.checkpoint(tmp.resolve("ckpt"), "v1", 10, 11, CheckpointStatus.PROMOTED);
        List<String> served = new ArrayList<>();
        PolicyListener listener = new PolicyListener() {
            @Override
            public void onServing(PolicyVersion version, PolicyVersion previous) {
                served.add(version.name());
            }
        };
        GeneratorConfig config = GeneratorConfig.defaults().withModelDir(base);
        try (PolicyManager policies = new PolicyManager(config, listener)) {
            assertThrows(IllegalStateException.class, policies::acquire, "nothing loaded before start()");
            policies.start();
            CheckpointLocator resolver = new CheckpointLocator(tmp.resolve("ckpt"), true);
            PolicyLease inFlight = policies.acquire();
            DiffusionPolicy old = inFlight.policy();
            int[] before = sample(old);

            assertTrue(policies.swapTo(PolicyVersion.of(v1), resolver.resolve(new CheckpointLocator.Published(v1.getVersion(), v1.getUri(), v1.getSha256()))));
            assertEquals("v1", policies.currentVersion().name());
            assertEquals("base", inFlight.version().name(), "a lease keeps its version");
            assertFalse(old.isClosed(), "the batch in flight still samples with it");
            assertEquals(before.length, sample(old).length);

            try (PolicyLease next = policies.acquire()) {
                assertEquals("v1", next.version().name());
                assertNotEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(sample(next.policy())),
                        "the checkpoint's UNet samples");
            }
            inFlight.close();
            assertTrue(old.isClosed(), "freed when its last lease closed");
            inFlight.close(); // idempotent

            // An older version never replaces a newer one, even when PROMOTED later.
            Checkpoint v0 = TestModels.checkpoint(tmp.resolve("ckpt"), "v0", 5, 12, CheckpointStatus.PROMOTED);
            assertFalse(policies.swapTo(PolicyVersion.of(v0), resolver.resolve(new CheckpointLocator.Published(v0.getVersion(), v0.getUri(), v0.getSha256()))));
            assertEquals("v1", policies.currentVersion().name());
            // A folder that does not load leaves the serving policy alone.
            assertThrows(RuntimeException.class, () -> policies.swapTo(new PolicyVersion("v9", 90,
                    java.time.Instant.EPOCH), tmp.resolve("nothing-here")));
            assertEquals("v1", policies.currentVersion().name());
            assertEquals(List.of("base", "v1"), served);
        }
    }

    @Test
    void closingWaitsForTheLastLease() {
        Path base = TestModels.baseModel(tmp.resolve("base"), 3);
        PolicyManager policies = new PolicyManager(GeneratorConfig.defaults().withModelDir(base), PolicyListener.NONE);
        policies.start();
        PolicyLease lease = policies.acquire();
        policies.close();
        assertFalse(lease.policy().isClosed());
        assertThrows(IllegalStateException.class, policies::acquire);
        lease.close();
        assertTrue(lease.policy().isClosed());
    }

    @Test
    void versionsOrderByStepThenTime() {
        PolicyVersion base = PolicyVersion.base("base");
        PolicyVersion v1 = new PolicyVersion("v1", 10, java.time.Instant.ofEpochMilli(5));
        PolicyVersion v1Later = new PolicyVersion("v1b", 10, java.time.Instant.ofEpochMilli(6));
        PolicyVersion v0 = new PolicyVersion("v0", 0, java.time.Instant.ofEpochMilli(99));
        assertTrue(v0.isNewerThan(base));
        assertTrue(v1.isNewerThan(v0));
        assertTrue(v1Later.isNewerThan(v1));
        assertFalse(v1.isNewerThan(v1));
    }

    private static int[] sample(DiffusionPolicy policy) {
        var image = policy.generate(List.of("a red circle"), new long[] {1}, SamplingOptions.of(TestModels.STEPS, 3.0))
                .get(0);
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
