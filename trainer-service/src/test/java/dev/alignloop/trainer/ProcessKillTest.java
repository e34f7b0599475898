package dev.alignloop.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.diffusion.checkpoint.CheckpointVerifier;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.schemas.avro.PreferenceLabel;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: the trainer runs as its own JVM ({@link TrainerApplication}) and is killed with
 * SIGKILL once its first, second or third checkpoint is announced (chosen at random, printed;
 * {@code -Dalignloop.test.kill-after=N} repeats a choice) — wherever it then is (mid-step, mid-write
 * of the next checkpoint, between write and announce). A trainer restarted on the same checkpoint
 * root ends with exactly the labels produced in its lineage, each once, and no checkpoint that
 * fails verification is ever visible.
 *
 * <p>The child's output is kept under {@code target/process-kill/} when the test fails, next to a
 * dump of every checkpoint (version, parent, step, offsets, trained labels).
 *
 * <p>History: this test was disabled after a CI run reported 40 ≠ 42. That was the test's own
 * bookkeeping, not the trainer: it read {@code pairsSeen()} from the test thread after the
 * restarted worker turned RUNNING, by which time the worker could already have trained a step,
 * which the step listener counted as well. The count now starts from {@link
 * TrainerListener#onResumed}, on the training thread, before any step;
 * {@code KillAndResumeTest#crashBetweenCheckpointWriteAndAnnounce} pins that down deterministically.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ProcessKillTest {
  private static final int LABELS = 40;

  @Test
  void sigkillMidRunThenResumeTrainsEveryLabelExactlyOnce(KafkaTestCluster kafka, @TempDir Path tmp) throws Exception {
    int killAfter = Integer.getInteger("alignloop.test.kill-after", 1 + (int) (System.nanoTime() % 3));
    Path logs = Path.of(System.getProperty("basedir", "."), "target", "process-kill");
    Files.createDirectories(logs);
    Path log = logs.resolve("trainer-" + System.currentTimeMillis() + ".log");
    System.out.println("ProcessKillTest: SIGKILL after checkpoint announcement " + killAfter
        + " (-Dalignloop.test.kill-after=" + killAfter + " repeats it); child log " + log.toAbsolutePath());
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      try {
        run(f, log, killAfter);
        Files.deleteIfExists(log); // kept only when the test fails
      } catch (AssertionError | Exception e) {
        Path dump = logs.resolve(log.getFileName() + ".checkpoints.txt");
        Files.writeString(dump, describe(f));
        throw new AssertionError(e.getMessage() + "\n(killed after announcement " + killAfter + "; child log "
            + log.toAbsolutePath() + "; checkpoints " + dump.toAbsolutePath() + ")", e);
      }
    }
  }

  private static void run(TrainerFixture f, Path log, int killAfter) throws Exception {
    List<PreferenceLabel> labels = f.labels("k9", LABELS);
    f.send(labels);
    Process child = start(f, log);
    try {
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
          .until(() -> f.checkpointRecords().size() >= killAfter || !child.isAlive());
      assertTrue(child.isAlive(), () -> "the trainer process died on its own:\n" + read(log));
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed trainer process did not exit");
    } finally {
      child.destroyForcibly();
    }
    for (TrainingCheckpoint c : f.localCheckpoints()) {
      assertTrue(CheckpointVerifier.verify(c.dir()).ok(), CheckpointVerifier.verify(c.dir()).describe());
    }

    // Run 2 in-process. Everything is counted on the training thread: the labels already in the
    // restored checkpoint (onResumed, before any step), then each step's labels.
    AtomicReference<String> resumedFrom = new AtomicReference<>();
    AtomicLong inRestored = new AtomicLong(-1);
    AtomicLong trainedByRun2 = new AtomicLong();
    try (ApplicationContext ctx = f.context(Map.of())) {
      TrainerWorker worker = TrainerFixture.worker(ctx);
      worker.addListener(new TrainerListener() {
        @Override
        public void onResumed(String version, long step, long pairsSeen) {
          resumedFrom.set(version);
          inRestored.set(pairsSeen);
        }

        @Override
        public void onStep(StepReport step) {
          trainedByRun2.addAndGet(step.labels().size());
        }
      });
      worker.start();
      await().atMost(TrainerFixture.TIMEOUT)
          .until(() -> inRestored.get() >= 0 && inRestored.get() + trainedByRun2.get() >= LABELS);
    } // graceful: a final checkpoint if the last step is not on a checkpoint boundary
    assertNotNull(resumedFrom.get(), "run 2 resumed from the base model although run 1 announced a checkpoint");
    List<TrainingCheckpoint> all = f.localCheckpoints();
    TrainingCheckpoint last = all.get(all.size() - 1);
    List<String> lineage = f.lineage(last.version()).stream().map(TrainedLabels.Entry::pairId).toList();
    String where = " (resumed from " + resumedFrom.get() + " holding " + inRestored.get() + " labels; run 2 trained "
        + trainedByRun2.get() + ")";
    assertEquals(LABELS, lineage.size(), "lineage of " + last.version() + ": each label exactly once" + where);
    assertEquals(new HashSet<>(labels.stream().map(PreferenceLabel::getPairId).toList()), new HashSet<>(lineage),
        "lineage of " + last.version() + " holds exactly the labels produced" + where);
    assertEquals(LABELS, inRestored.get() + trainedByRun2.get(),
        "labels in the restored checkpoint + labels trained after the restart" + where);
    assertEquals(inRestored.get(), f.lineage(resumedFrom.get()).size(),
        "pairs_seen of " + resumedFrom.get() + " equals its lineage" + where);
  }

  /** Every local checkpoint, one line each: version, parent, step, offsets, trained labels. */
  private static String describe(TrainerFixture f) {
    StringBuilder sb = new StringBuilder();
    try {
      for (TrainingCheckpoint c : f.localCheckpoints()) {
        sb.append(c.version()).append(" parent=").append(c.state().parentVersion()).append(" step=").append(c.step())
            .append(" created=").append(c.state().createdAt()).append(" offsets=").append(c.state().consumedOffsets());
        try {
          sb.append(" trained=").append(TrainedLabels.read(c.dir()).trained().stream()
              .map(e -> e.pairId() + "@" + e.partition() + ":" + e.offset()).toList());
        } catch (RuntimeException e) {
          sb.append(" trained=? (").append(e.getMessage()).append(')');
        }
        sb.append('\n');
      }
      sb.append("announced: ").append(f.checkpointRecords().stream().map(r -> r.getVersion()).toList()).append('\n');
    } catch (RuntimeException e) {
      sb.append("(could not list: ").append(e).append(")\n");
    }
    return sb.toString();
  }

  /** The trainer service as a child JVM on this test's classpath, configured by system properties. */
  private static Process start(TrainerFixture f, Path log) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.add("-Dai.djl.offline=true");
    Map<String, Object> props = f.properties(Map.of("alignloop.trainer.enabled", true));
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(TrainerApplication.class.getName());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }
}
