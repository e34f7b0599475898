package dev.alignloop.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Options and generated server properties, without starting a broker. */
class BrokerOptionsTest {

  @Test
  void defaultsMatchTheDesign() {
    BrokerOptions options = BrokerOptions.defaults();
    assertEquals(Path.of(".alignloop/kafka"), options.dataDir());
    assertEquals(9092, options.port());
    assertEquals("127.0.0.1", options.host());
  }

  @Test
  void invalidOptionsAreRejectedWithTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> BrokerOptions.defaults().withPort(70000));
    assertTrue(e.getMessage().contains("70000"));
    var o = assertThrows(IllegalArgumentException.class,
        () -> BrokerOptions.defaults().withOverrides(Map.of("listeners", "PLAINTEXT://:1")));
    assertTrue(o.getMessage().contains("listeners"));
  }

  @Test
  void propertiesDescribeASingleNodeKraftCluster() {
    BrokerOptions options = BrokerOptions.defaults().withDataDir(Path.of("/tmp/x"))
        .withOverrides(Map.of("log.retention.hours", "1", "num.io.threads", "4"));
    Properties p = ServerProperties.build(options, 9092, 19093);
    assertEquals("broker,controller", p.getProperty("process.roles"));
    assertEquals("1@127.0.0.1:19093", p.getProperty("controller.quorum.voters"));
    assertEquals("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:19093", p.getProperty("listeners"));
    assertEquals("PLAINTEXT://127.0.0.1:9092", p.getProperty("advertised.listeners"));
    assertEquals("/tmp/x/logs", p.getProperty("log.dirs"));
    assertEquals("1", p.getProperty("transaction.state.log.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
    assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
    assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
    assertEquals("1", p.getProperty("log.retention.hours"));
    assertEquals("4", p.getProperty("num.io.threads"), "overrides win over defaults");
  }

  @Test
  void aTakenPortFailsFastWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      BrokerOptions options = BrokerOptions.defaults().withPort(taken.getLocalPort()).withDataDir(Path.of("unused"));
      var e = assertThrows(BrokerException.class, () -> EmbeddedKafkaBroker.start(options));
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    }
  }

  @Test
  void secureBrokerRefusesOverridesOfItsSecurityKeys() {
    for (String key : List.of("super.users", "allow.everyone.if.no.acl.found", "sasl.enabled.mechanisms",
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", "authorizer.class.name")) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> BrokerOptions.defaults().withSecure(true).withOverrides(Map.of(key, "x")));
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
    // Without security they are the caller's business.
    BrokerOptions.defaults().withOverrides(Map.of("super.users", "User:x"));
  }
}
