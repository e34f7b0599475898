package dev.alignloop.generator;

import dev.alignloop.schemas.avro.PromptRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two noise seeds of a pair, a pure function of the prompt request: its {@code seed} when it
 * has one, else the first 8 bytes of the SHA-256 of its id. So a batch redone after a crash or a
 * rebalance samples exactly the same images (same content, hence the same blob URIs), and a
 * user-given seed reproduces image A anywhere the same noise recipe runs.
 *
 * @param seedA the base seed
 * @param seedB the next SplitMix64 output after {@code seedA}: a different, uncorrelated stream
 */
public record PairSeeds(long seedA, long seedB) {

    /**
     * @param request a prompt request
     * @return its seeds
     */
    public static PairSeeds of(PromptRequest request) {
        long base = request.getSeed() != null ? request.getSeed() : hash(request.getId());
        return new PairSeeds(base, splitMix64(base));
    }

    /** SHA-256 of the id's UTF-8 bytes, first 8 bytes big-endian: stable across JVMs and languages. */
    static long hash(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** One SplitMix64 step (Steele, Lea and Flood 2014) from state {@code x}. */
    static long splitMix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
