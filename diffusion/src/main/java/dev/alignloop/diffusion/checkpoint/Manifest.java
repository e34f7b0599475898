package dev.alignloop.diffusion.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code manifest.json}: the SHA-256 and size of every file of a checkpoint folder except the
 * manifest itself, by '/'-separated relative path, sorted.
 *
 * @param version the checkpoint version
 * @param files relative path to entry
 */
public record Manifest(String version, Map<String, Entry> files) {

    /** One file's digest. */
    public record Entry(long size, String sha256) {
    }

    public Manifest {
        files = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files));
    }

    /** Hashes every regular file under {@code dir} except {@link CheckpointLayout#MANIFEST}. */
    public static Manifest compute(String version, Path dir) {
        Map<String, Entry> files = new LinkedHashMap<>();
        for (Path f : listFiles(dir)) {
            String rel = relative(dir, f);
            if (!rel.equals(CheckpointLayout.MANIFEST)) {
                files.put(rel, hash(f));
            }
        }
        return new Manifest(version, files);
    }

    /** Regular files under {@code dir}, recursively, sorted by path. */
    static List<Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new CheckpointException(dir + ": cannot list files: " + e.getMessage(), e);
        }
    }

    static String relative(Path dir, Path f) {
        return dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
    }

    /** SHA-256 (lowercase hex) and size of a file. */
    public static Entry hash(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new Entry(size, HexFormat.of().formatHex(md.digest()));
    }

    byte[] toJson() {
        ObjectNode root = TrainerStateJson.JSON.createObjectNode();
        root.put("format", CheckpointLayout.FORMAT);
        root.put("version", version);
        ArrayNode arr = root.putArray("files");
        files.forEach((path, e) -> arr.addObject().put("path", path).put("size", e.size()).put("sha256", e.sha256()));
        try {
            return TrainerStateJson.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new CheckpointException("cannot encode manifest of " + version, e);
        }
    }

    /** Reads a manifest file, validating its structure. */
    public static Manifest read(Path file) {
        try {
            JsonNode root = TrainerStateJson.JSON.readTree(Files.readAllBytes(file));
            if (root == null || !CheckpointLayout.FORMAT.equals(root.path("format").asText(null))) {
                throw new CheckpointException(file + ": not an " + CheckpointLayout.FORMAT + " manifest");
            }
            Map<String, Entry> files = new LinkedHashMap<>();
            List<String> bad = new ArrayList<>();
            for (JsonNode n : root.path("files")) {
                String path = n.path("path").asText("");
                String sha = n.path("sha256").asText("");
                if (path.isEmpty() || path.startsWith("/") || java.util.Arrays.asList(path.split("/")).contains("..") || !sha.matches("[0-9a-f]{64}")
                        || !n.path("size").isIntegralNumber()) {
                    bad.add(n.toString());
                } else {
                    files.put(path, new Entry(n.get("size").asLong(), sha));
                }
            }
            if (!bad.isEmpty()) {
                throw new CheckpointException(file + ": malformed entries " + bad);
            }
            return new Manifest(root.path("version").asText(), files);
        } catch (IOException e) {
            throw new CheckpointException(file + ": unreadable manifest: " + e.getMessage(), e);
        }
    }
}
