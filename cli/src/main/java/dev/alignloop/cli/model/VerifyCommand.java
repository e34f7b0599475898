package dev.alignloop.cli.model;

import dev.alignloop.diffusion.checkpoint.CheckpointVerifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a training checkpoint directory against its manifest: every file's SHA-256, "
                + "missing and unexpected files. Exit 0 when intact, 1 otherwise.")
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "Checkpoint directory (holds manifest.json).")
    Path dir;

    @Override
    public Integer call() {
        var report = CheckpointVerifier.verify(IoOptions.existing(dir, "DIR"));
        System.out.println(report.describe());
        return report.ok() ? 0 : 1;
    }
}
