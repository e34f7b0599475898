package dev.alignloop.broker.security;

import static dev.alignloop.broker.security.AclRule.describeGroup;
import static dev.alignloop.broker.security.AclRule.describeTopic;
import static dev.alignloop.broker.security.AclRule.group;
import static dev.alignloop.broker.security.AclRule.readTopic;
import static dev.alignloop.broker.security.AclRule.transactionalIds;
import static dev.alignloop.broker.security.AclRule.writeTopic;

import dev.alignloop.schemas.Topics;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The one definition of who may do what on AlignLoop's Kafka: each service writes only its own
 * output topics and the DLQ, reads only its inputs, uses only its consumer group and its own
 * transactional-id prefix. The secured embedded broker ({@code alignloop broker --secure})
 * creates exactly these users and ACLs, and a test in {@code deploy} checks that the Strimzi
 * {@code KafkaUser} manifests grant exactly these rules.
 *
 * <p>The names follow the services' defaults ({@code alignloop.<service>.group-id},
 * {@code .transactional-id-prefix}; transactional ids are {@code <prefix>-<instance-id>}). A
 * deployment that changes one of those keys must change the ACL too.
 */
public final class ServiceAcls {

  /** Generator: prompts in, pairs out, follows checkpoints (assigned, no group). */
  public static final String GENERATOR = "alignloop-generator";
  /** Scorer: pairs in, preference labels out. */
  public static final String SCORER = "alignloop-scorer";
  /** Trainer: labels in, checkpoints out (idempotent producer, no transactions). */
  public static final String TRAINER = "alignloop-trainer";
  /** Eval gate: checkpoints in, evals and checkpoint statuses out. */
  public static final String GATE = "alignloop-gate";
  /** Monitor: reads every topic (assigned, no group) and every AlignLoop group's offsets. */
  public static final String MONITOR = "alignloop-monitor";
  /** Prompt sources ({@code alignloop prompts send}, importers): write prompts only. */
  public static final String PROMPTS = "alignloop-prompts";
  /** KEDA's Kafka scaler: reads the lag of the generator and scorer groups. */
  public static final String KEDA = "alignloop-keda";

  /** Prefix of every AlignLoop topic ({@link Topics}). */
  public static final String TOPIC_PREFIX = "alignloop.";
  /** Prefix of every AlignLoop consumer group (the services' default group ids). */
  public static final String GROUP_PREFIX = "alignloop-";

  private static final List<ServicePrincipal> ALL = List.of(
      new ServicePrincipal(GENERATOR, "generator-service: prompts -> pairs, exactly once", List.of(
          readTopic(Topics.PROMPTS),
          readTopic(Topics.CHECKPOINTS),
          writeTopic(Topics.PAIRS),
          writeTopic(Topics.DLQ),
          group(GENERATOR),
          transactionalIds(GENERATOR + "-"))),
      new ServicePrincipal(SCORER, "scorer-service: pairs -> preference labels, exactly once", List.of(
          readTopic(Topics.PAIRS),
          writeTopic(Topics.PREFERENCES),
          writeTopic(Topics.DLQ),
          group(SCORER),
          transactionalIds(SCORER + "-"))),
      new ServicePrincipal(TRAINER, "trainer-service: labels -> checkpoints", List.of(
          readTopic(Topics.PREFERENCES),
          readTopic(Topics.CHECKPOINTS),
          writeTopic(Topics.CHECKPOINTS),
          writeTopic(Topics.DLQ),
          group(TRAINER))),
      new ServicePrincipal(GATE, "gate-service: checkpoints -> evals and PROMOTED/REJECTED statuses, exactly once",
          List.of(
              readTopic(Topics.CHECKPOINTS),
              writeTopic(Topics.CHECKPOINTS),
              readTopic(Topics.EVALS), // its own past verdicts: the promoted incumbent after a restart
              writeTopic(Topics.EVALS),
              writeTopic(Topics.DLQ),
              group(GATE),
              transactionalIds(GATE + "-"))),
      new ServicePrincipal(MONITOR, "monitor-service: reads every topic and every AlignLoop group's lag", List.of(
          new AclRule(ResourceType.TOPIC, TOPIC_PREFIX, PatternType.PREFIXED,
              EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE)),
          new AclRule(ResourceType.GROUP, GROUP_PREFIX, PatternType.PREFIXED, EnumSet.of(AclOperation.DESCRIBE)))),
      new ServicePrincipal(PROMPTS, "prompt sources (alignloop prompts send): write prompts only", List.of(
          writeTopic(Topics.PROMPTS))),
      new ServicePrincipal(KEDA, "KEDA Kafka scaler: lag of the generator and scorer groups", List.of(
          describeTopic(Topics.PROMPTS),
          describeTopic(Topics.PAIRS),
          describeGroup(GENERATOR),
          describeGroup(SCORER))));

  private ServiceAcls() {}

  /** Every AlignLoop principal, in pipeline order. */
  public static List<ServicePrincipal> all() {
    return ALL;
  }

  /** One principal by user name. */
  public static Optional<ServicePrincipal> principal(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
