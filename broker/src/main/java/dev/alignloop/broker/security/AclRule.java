package dev.alignloop.broker.security;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ALLOW rule of a service principal: operations on a topic, group, transactional id or the
 * cluster, by literal name or by prefix, from any host. Mirrors a Strimzi {@code KafkaUser} ACL
 * entry one-to-one ({@code resource.type/name/patternType}, {@code operations}, {@code host: "*"}).
 *
 * @param resourceType {@code TOPIC}, {@code GROUP}, {@code TRANSACTIONAL_ID} or {@code CLUSTER}
 * @param name the resource name or prefix ({@code kafka-cluster} for the cluster)
 * @param patternType {@code LITERAL} or {@code PREFIXED}
 * @param operations allowed operations, never empty; copied
 */
public record AclRule(ResourceType resourceType, String name, PatternType patternType, Set<AclOperation> operations) {

  private static final Set<ResourceType> RESOURCE_TYPES =
      EnumSet.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID, ResourceType.CLUSTER);

  public AclRule {
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(patternType, "patternType");
    if (!RESOURCE_TYPES.contains(resourceType)) {
      throw new IllegalArgumentException("resource type " + resourceType + " of '" + name + "' is not one of " + RESOURCE_TYPES);
    }
    if (patternType != PatternType.LITERAL && patternType != PatternType.PREFIXED) {
      throw new IllegalArgumentException("pattern type of '" + name + "' must be LITERAL or PREFIXED, got " + patternType);
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("blank " + resourceType + " name");
    }
    if (operations == null || operations.isEmpty()) {
      throw new IllegalArgumentException("no operations for " + resourceType + " '" + name + "'");
    }
    if (operations.contains(AclOperation.ANY) || operations.contains(AclOperation.UNKNOWN)) {
      throw new IllegalArgumentException("operations of " + resourceType + " '" + name + "' must be concrete, got " + operations);
    }
    operations = Set.copyOf(EnumSet.copyOf(operations));
  }

  /** Read and Describe on one topic (consumers; Describe is what metadata and offsets need). */
  public static AclRule readTopic(String topic) {
    return new AclRule(ResourceType.TOPIC, topic, PatternType.LITERAL, EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE));
  }

  /** Write and Describe on one topic (producers, idempotent and transactional alike). */
  public static AclRule writeTopic(String topic) {
    return new AclRule(ResourceType.TOPIC, topic, PatternType.LITERAL, EnumSet.of(AclOperation.WRITE, AclOperation.DESCRIBE));
  }

  /** Describe only, on one topic (lag readers such as KEDA). */
  public static AclRule describeTopic(String topic) {
    return new AclRule(ResourceType.TOPIC, topic, PatternType.LITERAL, EnumSet.of(AclOperation.DESCRIBE));
  }

  /** Read on one consumer group: join it, commit offsets (also inside a transaction). */
  public static AclRule group(String groupId) {
    return new AclRule(ResourceType.GROUP, groupId, PatternType.LITERAL, EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE));
  }

  /** Describe only, on one consumer group (reading its committed offsets: lag). */
  public static AclRule describeGroup(String groupId) {
    return new AclRule(ResourceType.GROUP, groupId, PatternType.LITERAL, EnumSet.of(AclOperation.DESCRIBE));
  }

  /** Write and Describe on every transactional id starting with {@code prefix}. */
  public static AclRule transactionalIds(String prefix) {
    return new AclRule(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED,
        EnumSet.of(AclOperation.WRITE, AclOperation.DESCRIBE));
  }

  /** One Kafka binding per operation (Kafka stores one operation per ACL). */
  public Set<AclBinding> toBindings(String user) {
    var pattern = new ResourcePattern(resourceType, name, patternType);
    Set<AclBinding> out = new HashSet<>();
    for (AclOperation op : operations) {
      out.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
    }
    return Set.copyOf(out);
  }
}
