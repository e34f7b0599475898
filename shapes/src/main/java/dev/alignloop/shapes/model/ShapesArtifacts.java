package dev.alignloop.shapes.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shipped artifacts of the shapes world and their checksums.
 *
 * <pre>
 * models/shapes-base/     diffusers folder ({@link ShapesBaseModel#save}):
 *                         model_index.json, unet/, text_encoder/, tokenizer/, scheduler/
 * models/shapes-reward/   model.onnx, reward.json, tokenizer.json
 * each: CHECKSUMS.sha256  "&lt;sha256&gt;  &lt;relative path&gt;" per file, sorted ({@code sha256sum -c} reads it)
 * </pre>
 *
 * Every regular file of the folder is listed except {@code CHECKSUMS.sha256} itself and
 * {@code README.md} (documentation, edited by hand). {@link #verify} checks every listed file;
 * files that are not listed are ignored.
 */
public final class ShapesArtifacts {

    /** The checksum list inside each artifact folder. */
    public static final String CHECKSUMS = "CHECKSUMS.sha256";
    /** Not checksummed: free-form documentation. */
    public static final String README = "README.md";
    /** The folder holding the shipped artifacts, relative to the repository root. */
    public static final String MODELS_DIR = "models";

    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");

    /** The two shipped artifacts. */
    public enum Artifact {
        /** The pretrained base diffusion model. */
        BASE("shapes-base", "./alignloop pretrain base"),
        /** The ONNX reward model. */
        REWARD("shapes-reward", "./alignloop pretrain reward");

        private final String folder;
        private final String command;

        Artifact(String folder, String command) {
            this.folder = folder;
            this.command = command;
        }

        /** Folder name under {@code models/}. */
        public String folder() {
            return folder;
        }

        /** The command that regenerates it. */
        public String regenerateCommand() {
            return command;
        }

        /** {@code root/models/<folder>}. */
        public Path dir(Path repositoryRoot) {
            return repositoryRoot.resolve(MODELS_DIR).resolve(folder);
        }
    }

    private ShapesArtifacts() {
    }

    /**
     * Hashes every file of {@code dir} (except {@link #CHECKSUMS} and {@link #README}) and writes
     * {@code dir/CHECKSUMS.sha256} atomically.
     *
     * @return the file written
     */
    public static Path writeChecksums(Path dir) {
        Map<String, String> sums = new TreeMap<>();
        for (Path f : listFiles(dir)) {
            sums.put(relative(dir, f), sha256(f));
        }
        StringBuilder sb = new StringBuilder();
        sums.forEach((name, sum) -> sb.append(sum).append("  ").append(name).append('\n'));
        Path target = dir.resolve(CHECKSUMS);
        try {
            Path tmp = Files.createTempFile(dir, ".checksums", ".tmp");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return target;
    }

    /**
     * Checks every file listed in {@code dir/CHECKSUMS.sha256}.
     *
     * @return the number of files verified
     * @throws ArtifactChecksumException naming the first missing or mismatching file (or the checksum
     *                                   list) and the command that regenerates {@code artifact}
     */
    public static int verify(Path dir, Artifact artifact) {
        Path list = dir.resolve(CHECKSUMS);
        if (!Files.isRegularFile(list)) {
            throw new ArtifactChecksumException(list, list + ": missing, so the " + artifact.folder()
                    + " artifact cannot be verified; " + regenerate(artifact));
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ArtifactChecksumException(list, list + ": unreadable (" + e.getMessage() + "); " + regenerate(artifact));
        }
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new ArtifactChecksumException(list, list + " line " + (i + 1) + ": expected \"<sha256>  <file>\", got \""
                        + line + "\"; " + regenerate(artifact));
            }
            Path file = dir.resolve(m.group(2)).normalize();
            if (!file.startsWith(dir.normalize())) {
                throw new ArtifactChecksumException(list, list + " line " + (i + 1) + ": path " + m.group(2)
                        + " leaves the artifact folder");
            }
            if (!Files.isRegularFile(file)) {
                throw new ArtifactChecksumException(file, file + ": missing (listed in " + CHECKSUMS + "); the "
                        + artifact.folder() + " artifact is incomplete; " + regenerate(artifact));
            }
            String actual = sha256(file);
            if (!actual.equals(m.group(1))) {
                throw new ArtifactChecksumException(file, file + ": SHA-256 mismatch (expected " + m.group(1) + ", got "
                        + actual + "); the shipped " + artifact.folder() + " artifact is corrupt or was modified; "
                        + regenerate(artifact));
            }
            checked++;
        }
        if (checked == 0) {
            throw new ArtifactChecksumException(list, list + ": lists no files; " + regenerate(artifact));
        }
        return checked;
    }

    /**
     * A new empty staging folder next to {@code target} ({@code .tmp-<name>-<nanos>}), on the same
     * file system so that {@link #publish} can rename it.
     */
    public static Path stagingDir(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.getParent());
            return Files.createDirectory(abs.resolveSibling(".tmp-" + abs.getFileName() + "-" + System.nanoTime()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging folder next to " + target, e);
        }
    }

    /**
     * Writes the checksums of {@code staged}, then replaces {@code target} with it: an existing
     * target is renamed aside first and deleted after (its {@code README.md} is carried over when
     * {@code staged} has none), so readers see the old folder or the new one, never a mix.
     *
     * @return {@code target}
     */
    public static Path publish(Path staged, Path target) {
        try {
            Path oldReadme = target.resolve(README);
            if (Files.isRegularFile(oldReadme) && !Files.exists(staged.resolve(README))) {
                Files.copy(oldReadme, staged.resolve(README));
            }
            writeChecksums(staged);
            Path trash = null;
            if (Files.exists(target)) {
                Path abs = target.toAbsolutePath().normalize();
                trash = abs.resolveSibling(".trash-" + abs.getFileName() + "-" + System.nanoTime());
                Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            if (trash != null) {
                deleteRecursively(trash);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + staged + " as " + target, e);
        }
    }

    /** Deletes a file or folder tree if it exists. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static String regenerate(Artifact artifact) {
        return "regenerate it with `" + artifact.regenerateCommand() + "` (or restore it with `git checkout -- "
                + MODELS_DIR + "/" + artifact.folder() + "`)";
    }

    /** Lowercase hex SHA-256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> out = new ArrayList<>();
            for (Path p : s.sorted().toList()) {
                String rel = relative(dir, p);
                if (Files.isRegularFile(p) && !rel.equals(CHECKSUMS) && !rel.equals(README)
                        && !p.getFileName().toString().startsWith(".")) {
                    out.add(p);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String relative(Path dir, Path f) {
        return dir.relativize(f).toString().replace('\\', '/');
    }
}
