package dev.alignloop.broker.security;

import dev.alignloop.broker.BrokerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the {@link ServiceAcls} users (SCRAM-SHA-512) and ACLs on a secured broker and builds
 * SASL client properties. Idempotent: a restart upserts the same passwords and re-adds the same
 * bindings; bindings of AlignLoop users that are no longer in the definition are removed.
 */
public final class BrokerSecurity {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);
  /** The mechanism of every AlignLoop user (what Strimzi's {@code scram-sha-512} issues). */
  public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_512;
  /** SCRAM iterations (Kafka's minimum is 4096). */
  public static final int ITERATIONS = 8192;
  private static final long POLL_MILLIS = 100;

  private BrokerSecurity() {}

  /**
   * Upserts a SCRAM credential for every principal, replaces their ACLs with the definition's,
   * and waits (up to {@code timeout}) until the broker serves both, so a client that starts
   * right after this returns can authenticate.
   *
   * @param admin an admin client authenticated as the super user
   * @throws BrokerException naming the user or binding the broker refused
   */
  public static void apply(Admin admin, BrokerCredentials credentials, List<ServicePrincipal> principals,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    Set<AclBinding> wanted = new HashSet<>();
    for (ServicePrincipal p : principals) {
      upserts.add(new UserScramCredentialUpsertion(p.name(), new ScramCredentialInfo(MECHANISM, ITERATIONS),
          credentials.password(p.name())));
      wanted.addAll(p.bindings());
    }
    try {
      for (var result : admin.alterUserScramCredentials(upserts).values().entrySet()) {
        try {
          result.getValue().get(remaining(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          throw new BrokerException("cannot create SCRAM user " + result.getKey() + ": " + e.getCause(), e.getCause());
        }
      }
      Set<AclBinding> existing = new HashSet<>(
          admin.describeAcls(AclBindingFilter.ANY).values().get(remaining(deadline), TimeUnit.MILLISECONDS));
      Set<String> ours = new HashSet<>();
      principals.forEach(p -> ours.add(p.principal()));
      List<AclBindingFilter> stale = existing.stream()
          .filter(b -> ours.contains(b.entry().principal()) && !wanted.contains(b))
          .map(AclBinding::toFilter).toList();
      if (!stale.isEmpty()) {
        admin.deleteAcls(stale).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
        LOG.info("Removed {} ACL bindings no longer in ServiceAcls", stale.size());
      }
      for (var result : admin.createAcls(wanted).values().entrySet()) {
        try {
          result.getValue().get(remaining(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          throw new BrokerException("cannot create ACL " + result.getKey() + ": " + e.getCause(), e.getCause());
        }
      }
      awaitServed(admin, principals, wanted, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("interrupted while creating users and ACLs", e);
    } catch (ExecutionException e) {
      throw new BrokerException("cannot set up users and ACLs: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new BrokerException("timed out after " + timeout + " creating users and ACLs", e);
    }
    LOG.info("SCRAM users and ACLs in place for {}", principals.stream().map(ServicePrincipal::name).toList());
  }

  /**
   * Client properties for {@code SASL_PLAINTEXT} + SCRAM-SHA-512 as {@code user}: what the
   * services' {@code alignloop.kafka.*} settings produce for the same values.
   */
  public static Map<String, Object> clientProperties(String bootstrapServers, String user, String password) {
    return Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
        SaslConfigs.SASL_MECHANISM, MECHANISM.mechanismName(),
        SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
  }

  /** A SCRAM login-module line; user names and passwords are quoted. */
  public static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  // The controller commits users and ACLs before the admin calls return; the broker applies the
  // metadata shortly after. Describe calls are answered from the broker's own view.
  private static void awaitServed(Admin admin, List<ServicePrincipal> principals, Set<AclBinding> wanted,
      long deadline) throws InterruptedException, ExecutionException, TimeoutException {
    List<String> users = principals.stream().map(ServicePrincipal::name).toList();
    while (true) {
      try {
        var described = admin.describeUserScramCredentials(users).all().get(remaining(deadline), TimeUnit.MILLISECONDS);
        var acls = admin.describeAcls(AclBindingFilter.ANY).values().get(remaining(deadline), TimeUnit.MILLISECONDS);
        if (described.keySet().containsAll(users) && new HashSet<>(acls).containsAll(wanted)) {
          return;
        }
      } catch (ExecutionException e) {
        // a user not applied yet: ResourceNotFoundException; poll again
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("broker does not serve all users/ACLs yet");
      }
      TimeUnit.MILLISECONDS.sleep(POLL_MILLIS); // between metadata polls, bounded by the deadline
    }
  }

  private static long remaining(long deadline) throws TimeoutException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new TimeoutException("deadline passed");
    }
    return left;
  }
}
