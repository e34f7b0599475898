package dev.alignloop.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.diffusion.checkpoint.TrainingCheckpoint;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.streaming.eos.ProcessorState;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of exactly-once training: a trainer is killed between checkpoints (halted
 * as {@code kill -9} would: no final checkpoint, no commit, clients dropped); a new trainer on the
 * same checkpoint root resumes from the last checkpoint's offsets. The labels in the final
 * checkpoint's lineage are exactly the labels produced, each once — the work lost with the
 * killed process is redone, nothing that was checkpointed is repeated.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KillAndResumeTest {

  @Test
  void killBetweenCheckpointsThenResumeTrainsEveryLabelExactlyOnce(KafkaTestCluster kafka, @TempDir Path tmp)
      throws Exception {
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      List<PreferenceLabel> labels = f.labels("kr", 16);
      f.send(labels);
      Set<String> produced = new HashSet<>(labels.stream().map(PreferenceLabel::getPairId).toList());

      // Run 1: a checkpoint every 2 steps; killed right after step 3, which no checkpoint covers.
      List<StepReport> run1 = new CopyOnWriteArrayList<>();
      try (ApplicationContext ctx = f.context(Map.of())) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onStep(StepReport step) {
            run1.add(step);
            if (step.step() == 3) {
              worker.halt();
            }
          }
        });
        worker.start();
        await().atMost(TrainerFixture.TIMEOUT).until(() -> worker.state() == ProcessorState.HALTED);
      }
      assertEquals(3, run1.size());
      List<TrainingCheckpoint> afterKill = f.localCheckpoints();
      assertEquals(1, afterKill.size(), afterKill.toString());
      TrainingCheckpoint ckpt2 = afterKill.get(0);
      assertEquals(2, ckpt2.step());
      assertEquals(List.of(ckpt2.version()), f.checkpointRecords().stream().map(Checkpoint::getVersion).toList());
      List<String> lostWork = run1.get(2).pairIds();
      // The group's committed offsets never run ahead of the checkpoint a restart resumes from.
      Map<Integer, Long> ckptOffsets = new HashMap<>();
      ckpt2.state().consumedOffsets().forEach(o -> ckptOffsets.put(o.partition(), o.offset()));
      try (Admin admin = kafka.admin()) {
        Map<Integer, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(f.group).partitionsToOffsetAndMetadata().get()
            .forEach((tp, om) -> committed.put(tp.partition(), om.offset()));
        assertEquals(ckptOffsets, committed);
      }

      // Run 2, a fresh trainer on the same checkpoint root. It announces on another checkpoints
      // topic: as if run 1 had also crashed between writing ckpt-2 and announcing it.
      String topic2 = kafka.newTopic("checkpoints2");
      List<StepReport> run2 = new CopyOnWriteArrayList<>();
      try (ApplicationContext ctx = f.context(Map.of("alignloop.trainer.checkpoints-topic", topic2))) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onStep(StepReport step) {
            run2.add(step);
          }
        });
        worker.start();
        await().atMost(TrainerFixture.TIMEOUT)
            .until(() -> run2.stream().mapToInt(s -> s.labels().size()).sum() >= 12);
      } // graceful close: a final checkpoint if the last step is not on a checkpoint boundary

      assertEquals(3, run2.get(0).step(), "run 2 continues after ckpt-2");
      List<String> run2Ids = run2.stream().flatMap(s -> s.pairIds().stream()).toList();
      assertTrue(run2Ids.containsAll(lostWork), "the killed step's labels are trained again: " + lostWork);

      List<TrainingCheckpoint> all = f.localCheckpoints();
      TrainingCheckpoint last = all.get(all.size() - 1);
      List<String> lineage = f.lineage(last.version()).stream().map(TrainedLabels.Entry::pairId).toList();
      assertEquals(16, lineage.size(), "each label exactly once: " + lineage);
      assertEquals(produced, new HashSet<>(lineage));
      // The lineage is ckpt-2 then run 2's checkpoints.
      List<String> chain = new ArrayList<>();
      for (String v = last.version(); v != null; v = TrainedLabels.read(f.checkpoints.resolve(v)).parentVersion()) {
        chain.add(0, v);
      }
      assertEquals(ckpt2.version(), chain.get(0));
      assertEquals(all.stream().map(TrainingCheckpoint::version).toList(), chain);
      // Its offsets are the end of the topic.
      Map<Integer, Long> end = new HashMap<>(f.labelEndOffsets());
      end.values().removeIf(o -> o == 0);
      Map<Integer, Long> lastOffsets = new HashMap<>();
      last.state().consumedOffsets().forEach(o -> lastOffsets.put(o.partition(), o.offset()));
      assertEquals(end, lastOffsets);

      // Run 2 announced the checkpoint it found unannounced (ckpt-2) and its own, each once.
      List<String> announced = f.readToEnd(topic2, TrainerFixture.CHECKPOINTS.deserializer()).stream()
          .map(r -> r.value().getVersion()).toList();
      assertEquals(chain, announced);
    }
  }

  /**
   * Regression test for the "40 labels, 42 counted" report of {@code ProcessKillTest}, with the
   * crash put exactly where a SIGKILL can land: after a checkpoint is durable, before its offsets
   * are committed and it is announced. The restart resumes from that unannounced checkpoint (not
   * the last announced one), announces it once, and the labels counted from {@link
   * TrainerListener#onResumed} plus the steps after it are exactly the labels produced — however
   * late the test thread looks (the old count read {@code pairsSeen()} after the worker turned
   * RUNNING and counted a step twice when the worker had already taken it).
   */
  @Test
  void crashBetweenCheckpointWriteAndAnnounceResumesFromTheUnannouncedCheckpoint(KafkaTestCluster kafka,
      @TempDir Path tmp) throws Exception {
    try (TrainerFixture f = new TrainerFixture(kafka, tmp)) {
      List<PreferenceLabel> labels = f.labels("wa", 16);
      f.send(labels);

      // Run 1: halted inside the second checkpoint (step 4), right after its durable write.
      List<TrainingCheckpoint> written = new CopyOnWriteArrayList<>();
      try (ApplicationContext ctx = f.context(Map.of())) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onCheckpointWritten(TrainingCheckpoint checkpoint) {
            written.add(checkpoint);
            if (checkpoint.step() == 4) {
              worker.halt();
            }
          }
        });
        worker.start();
        await().atMost(TrainerFixture.TIMEOUT).until(() -> worker.state() == ProcessorState.HALTED);
      }
      assertEquals(List.of(2L, 4L), written.stream().map(TrainingCheckpoint::step).toList());
      TrainingCheckpoint ckpt2 = written.get(0);
      TrainingCheckpoint ckpt4 = written.get(1);
      assertEquals(List.of(ckpt2.version(), ckpt4.version()),
          f.localCheckpoints().stream().map(TrainingCheckpoint::version).toList());
      assertEquals(List.of(ckpt2.version()), f.checkpointRecords().stream().map(Checkpoint::getVersion).toList(),
          "the crash hit before ckpt-4 was announced");
      assertEquals(offsets(ckpt2), committed(kafka, f.group), "nothing committed past the last announced checkpoint");

      // Run 2: every event on the training thread, in order.
      List<String> events = new CopyOnWriteArrayList<>();
      AtomicLong counted = new AtomicLong(-1);
      try (ApplicationContext ctx = f.context(Map.of())) {
        TrainerWorker worker = TrainerFixture.worker(ctx);
        worker.addListener(new TrainerListener() {
          @Override
          public void onResumed(String version, long step, long pairsSeen) {
            events.add("resumed " + version + " step " + step + " pairs " + pairsSeen);
            counted.set(pairsSeen);
          }

          @Override
          public void onStep(StepReport step) {
            events.add("step " + step.step());
            counted.addAndGet(step.labels().size());
          }
        });
        worker.start();
        await().atMost(TrainerFixture.TIMEOUT).until(() -> counted.get() >= 16);
        // Look late on purpose: the worker has trained past RUNNING by now, the count is unaffected.
        assertEquals(worker.trainer().pairsSeen(), counted.get(), events.toString());
      }
      assertEquals("resumed " + ckpt4.version() + " step 4 pairs 8", events.get(0), "resumed first, from ckpt-4");
      assertEquals(List.of("step 5", "step 6", "step 7", "step 8"), events.subList(1, events.size()));
      assertEquals(16, counted.get());

      List<TrainingCheckpoint> all = f.localCheckpoints();
      TrainingCheckpoint last = all.get(all.size() - 1);
      assertEquals(8, last.step());
      List<String> lineage = f.lineage(last.version()).stream().map(TrainedLabels.Entry::pairId).toList();
      assertEquals(16, lineage.size(), "each label exactly once: " + lineage);
      assertEquals(new HashSet<>(labels.stream().map(PreferenceLabel::getPairId).toList()), new HashSet<>(lineage));
      assertEquals(ckpt4.version(), TrainedLabels.read(all.get(2).dir()).parentVersion(), "run 2 continues ckpt-4");
      // ckpt-4 announced once (by the restart, before its own checkpoints); the group caught up.
      assertEquals(all.stream().map(TrainingCheckpoint::version).toList(),
          f.checkpointRecords().stream().map(Checkpoint::getVersion).toList());
      Map<Integer, Long> end = new HashMap<>(f.labelEndOffsets());
      end.values().removeIf(o -> o == 0);
      assertEquals(end, committed(kafka, f.group));
    }
  }

  private static Map<Integer, Long> offsets(TrainingCheckpoint c) {
    Map<Integer, Long> out = new HashMap<>();
    c.state().consumedOffsets().forEach(o -> out.put(o.partition(), o.offset()));
    return out;
  }

  private static Map<Integer, Long> committed(KafkaTestCluster kafka, String group) throws Exception {
    try (Admin admin = kafka.admin()) {
      Map<Integer, Long> out = new HashMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .forEach((tp, om) -> out.put(tp.partition(), om.offset()));
      return out;
    }
  }
}
