package dev.alignloop.generator.policy;

import dev.alignloop.schemas.avro.Checkpoint;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Which policy samples: the version name written on every pair, and what orders versions — the
 * optimizer step the checkpoint was written at, then its record's creation time. The base model
 * sorts before every checkpoint (step -1).
 *
 * <p>Why step and not topic order: the checkpoint topic is compacted and a version's status can
 * be rewritten (CANDIDATE, then PROMOTED), so the record's position says when its status last
 * changed, not how far training had got. A promotion of an older checkpoint (say, after a newer
 * one was rejected) must not replace a newer policy already serving.
 *
 * @param name the version name
 * @param step optimizer step of the checkpoint; -1 for the base model
 * @param createdAt when the checkpoint record was written; the epoch for the base model
 */
public record PolicyVersion(String name, long step, Instant createdAt) {

    /** Newest last. */
    public static final Comparator<PolicyVersion> ORDER = Comparator.comparingLong(PolicyVersion::step)
            .thenComparing(PolicyVersion::createdAt).thenComparing(PolicyVersion::name);

    /** Checks the fields. */
    public PolicyVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @param name the base policy's version name
     * @return the base version, older than any checkpoint
     */
    public static PolicyVersion base(String name) {
        return new PolicyVersion(name, -1, Instant.EPOCH);
    }

    /**
     * @param checkpoint a checkpoint record
     * @return its version
     */
    public static PolicyVersion of(Checkpoint checkpoint) {
        return new PolicyVersion(checkpoint.getVersion(), checkpoint.getStep(), checkpoint.getCreatedAt());
    }

    /**
     * @param other another version
     * @return whether this one comes strictly after {@code other} (a different name at the same
     *     step and time counts as newer only by name order, so the choice is deterministic)
     */
    public boolean isNewerThan(PolicyVersion other) {
        return ORDER.compare(this, other) > 0;
    }

    @Override
    public String toString() {
        return name + "@" + step;
    }
}
