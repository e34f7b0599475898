package dev.alignloop.broker.security;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A Kafka user (SCRAM-SHA-512 principal {@code User:<name>}) and everything it may do.
 *
 * @param name user name: the Strimzi {@code KafkaUser} name and the {@code
 *     alignloop.kafka.sasl.username} of the service
 * @param description what the user is for (goes into docs and manifests' comments)
 * @param rules ALLOW rules; anything not listed is denied
 */
public record ServicePrincipal(String name, String description, List<AclRule> rules) {

  // Kubernetes object names (the KafkaUser and its Secret share it): DNS-1123 subdomain.
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public ServicePrincipal {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches() || name.length() > 63) {
      throw new IllegalArgumentException("principal name '" + name + "' must be a lower-case DNS label (it names a KafkaUser)");
    }
    Objects.requireNonNull(description, "description");
    rules = List.copyOf(rules);
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("principal " + name + " has no ACL rules");
    }
  }

  /** The Kafka principal string, {@code User:<name>}. */
  public String principal() {
    return "User:" + name;
  }

  /** Every Kafka ACL binding of this user (one per operation). */
  public Set<AclBinding> bindings() {
    Set<AclBinding> all = new HashSet<>();
    for (AclRule rule : rules) {
      all.addAll(rule.toBindings(name));
    }
    return Set.copyOf(all);
  }
}
