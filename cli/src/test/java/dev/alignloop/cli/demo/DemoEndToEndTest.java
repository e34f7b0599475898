package dev.alignloop.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.diffusion.checkpoint.CheckpointVerifier;
import dev.alignloop.diffusion.pretrained.TinyPolicyFolder;
import dev.alignloop.monitor.testing.HeadlessChromium;
import dev.alignloop.reward.onnx.TinyRewardFolder;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.shapes.prompt.PromptGrammar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop through the real embedded broker, with every service in its own JVM started from
 * its packaged jar (as the demo and a container run it), on tiny random models: prompts in →
 * two PNGs per prompt in the blob store → one pair per prompt → labels → a verified checkpoint →
 * an eval result. Every count is read back from the topics and the disk.
 */
class DemoEndToEndTest {
    private static final int PROMPTS = 6;

    @TempDir
    Path tmp;

    @Test
    void promptsFlowToPairsLabelsACheckpointAndAnEval() throws Exception {
        Path home = Path.of(System.getProperty("alignloop.home", "..")).toAbsolutePath().normalize();
        Path base = TinyPolicyFolder.write(tmp.resolve("base"), 32, PromptGrammar.vocabulary(), 1);
        Path reward = TinyRewardFolder.write(tmp.resolve("reward"), PromptGrammar.vocabulary(), 32, 3);
        // Prompts the tiny text encoder (8 positions) takes, for the loop and for the gate.
        Path prompts = Files.writeString(tmp.resolve("prompts.txt"),
                "a red circle\na blue square\na green triangle\ntwo yellow circles\na purple square\na small red triangle\n");
        DemoOptions options = new DemoOptions(home, tmp.resolve("state"), 1, PROMPTS, 3, 2, 500, 1e-4, 1, 7, true,
                true, 0, Duration.ofMinutes(8), base, reward, prompts,
                Map.of("alignloop.gate.prompt-file", prompts.toString(),
                        // 6 prompts never fill the demo's batch of 32: train them at once
                        "alignloop.trainer.batch-linger", "2s", "alignloop.trainer.checkpoint-when-idle", "5s"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DemoRunner runner = new DemoRunner(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        // The dashboard of the running loop, in a real browser, before the demo shuts down.
        String[] dom = new String[1];
        runner.beforeShutdown = r -> {
            if (HeadlessChromium.available()) {
                try {
                    // Polling mode: the SSE stream never ends, which a headless dump would wait for.
                    dom[0] = HeadlessChromium.run(tmp, "--dump-dom", r.dashboard + "?live=poll");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        int code = runner.run();

        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        LoopObserver.Snapshot s = runner.finalSnapshot;
        assertEquals(PROMPTS, s.pairs(), "one pair per prompt (all prompts fit the model): " + printed);
        assertEquals(0, s.deadLetters(), printed);
        assertEquals(0, s.duplicateLabels(), "no label twice");
        assertTrue(s.labels() >= 1 && s.labels() <= PROMPTS, "labels for non-tie pairs: " + s.labels());
        try (Stream<Path> files = Files.walk(tmp.resolve("state/blobs"))) {
            assertEquals(2L * PROMPTS, files.filter(f -> f.toString().endsWith(".png")).count(), "two images per prompt");
        }
        Checkpoint ckpt = s.latestCheckpoint().orElseThrow();
        Path dir = Path.of(java.net.URI.create(ckpt.getUri()));
        assertTrue(CheckpointVerifier.verify(dir).ok(), "the checkpoint verifies against its manifest");
        assertFalse(ckpt.getConsumedOffsets().isEmpty(), "the checkpoint records the offsets it trained on");
        var eval = s.evalOf(ckpt.getVersion()).orElseThrow();
        assertEquals(PROMPTS, eval.getPrompts(), "the gate evaluated the prompt file");
        assertNotNull(eval.getDecision());
        assertTrue(printed.contains("== AlignLoop demo summary"), printed);
        if (dom[0] != null) {
            assertEquals(6, HeadlessChromium.count(dom[0], "<tr data-topic="), "topic table");
            assertTrue(HeadlessChromium.count(dom[0], "<img src=\"/api/images/") >= 2, "gallery images of the live loop");
            assertTrue(HeadlessChromium.count(dom[0], "class=\"point\" ") >= 1, "chart points from the checkpoint");
        } else {
            System.out.println("headless Chromium not installed: skipped the live dashboard check");
        }
    }
}
