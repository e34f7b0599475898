package dev.alignloop.diffusion.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-hashes a checkpoint folder against its {@code manifest.json} ({@code alignloop model verify
 * DIR}): every file whose digest or size differs, every listed file that is gone and every file
 * that is not listed.
 */
public final class CheckpointVerifier {
    private CheckpointVerifier() {
    }

    /** What is wrong with one file. */
    public enum ProblemKind {
        /** The manifest itself is missing or unreadable. */
        MANIFEST,
        /** Listed in the manifest but absent. */
        MISSING,
        /** Present but its SHA-256 or size differs from the manifest. */
        MISMATCH,
        /** Present but not listed in the manifest. */
        EXTRA
    }

    /** One finding. */
    public record Problem(ProblemKind kind, String path, String detail) {
        @Override
        public String toString() {
            return kind + " " + path + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /**
     * The outcome of a verification.
     *
     * @param dir the folder checked
     * @param filesChecked files listed in the manifest
     * @param problems every finding, in path order
     */
    public record Report(Path dir, int filesChecked, List<Problem> problems) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** A multi-line human-readable summary. */
        public String describe() {
            if (ok()) {
                return dir + ": OK (" + filesChecked + " files verified)";
            }
            StringBuilder sb = new StringBuilder(dir + ": " + problems.size() + " problem(s)");
            problems.forEach(p -> sb.append("\n  ").append(p));
            return sb.toString();
        }
    }

    /** Verifies {@code dir}; never throws for content problems, only reports them. */
    public static Report verify(Path dir) {
        Path manifestFile = dir.resolve(CheckpointLayout.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            return new Report(dir, 0, List.of(new Problem(ProblemKind.MANIFEST, CheckpointLayout.MANIFEST, "missing")));
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(manifestFile);
        } catch (CheckpointException e) {
            return new Report(dir, 0, List.of(new Problem(ProblemKind.MANIFEST, CheckpointLayout.MANIFEST, e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Path f : Manifest.listFiles(dir)) {
            present.add(Manifest.relative(dir, f));
        }
        for (Map.Entry<String, Manifest.Entry> e : manifest.files().entrySet()) {
            String rel = e.getKey();
            Path f = dir.resolve(rel);
            if (!present.contains(rel)) {
                problems.add(new Problem(ProblemKind.MISSING, rel, ""));
                continue;
            }
            Manifest.Entry actual = Manifest.hash(f);
            Manifest.Entry expected = e.getValue();
            if (actual.size() != expected.size()) {
                problems.add(new Problem(ProblemKind.MISMATCH, rel, "size " + actual.size() + " != " + expected.size()));
            } else if (!actual.sha256().equals(expected.sha256())) {
                problems.add(new Problem(ProblemKind.MISMATCH, rel, "sha256 " + actual.sha256() + " != " + expected.sha256()));
            }
        }
        present.stream()
                .filter(rel -> !rel.equals(CheckpointLayout.MANIFEST) && !manifest.files().containsKey(rel))
                .sorted()
                .forEach(rel -> problems.add(new Problem(ProblemKind.EXTRA, rel, "not in manifest")));
        problems.sort(java.util.Comparator.comparing(Problem::path));
        return new Report(dir, manifest.files().size(), problems);
    }
}
