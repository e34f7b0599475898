package dev.alignloop.broker.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.broker.BrokerMain;
import dev.alignloop.broker.BrokerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alignloop broker --secure}: prints where the passwords are, then the bootstrap line; a
 * client that knows only those two can log in as a service, and the passwords survive a restart.
 */
class SecureBrokerMainTest {

  @Test
  void printsCredentialsThatWorkAndKeepsThemAcrossRestarts(@TempDir Path dataDir) throws Exception {
    Properties first = runOnce(dataDir);
    Properties second = runOnce(dataDir);
    assertEquals(first, second, "passwords kept across restarts");
    assertTrue(first.stringPropertyNames().containsAll(List.of(BrokerCredentials.ADMIN, ServiceAcls.MONITOR)));
  }

  private static Properties runOnce(Path dataDir) throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    CountDownLatch stop = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread main = new Thread(() -> {
      try {
        BrokerMain.run(new BrokerOptions(dataDir, 0, "127.0.0.1", Map.of(), true), out, stop);
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "secure-broker-main");
    main.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> failure.get() != null
          || stdout.toString(StandardCharsets.UTF_8).contains(BrokerMain.BOOTSTRAP_LINE_PREFIX));
      assertNull(failure.get());
      List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
      assertTrue(lines.get(0).startsWith(BrokerMain.CREDENTIALS_LINE_PREFIX), lines.toString());
      Path file = Path.of(lines.get(0).substring(BrokerMain.CREDENTIALS_LINE_PREFIX.length()));
      String bootstrap = lines.get(1).substring(BrokerMain.BOOTSTRAP_LINE_PREFIX.length());
      Properties passwords = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        passwords.load(r);
      }
      // The monitor may describe topics: a login with the printed password works.
      try (Admin admin = Admin.create(BrokerSecurity.clientProperties(bootstrap, ServiceAcls.MONITOR,
          passwords.getProperty(ServiceAcls.MONITOR)))) {
        assertTrue(admin.listTopics().names().get().contains("alignloop.pairs"));
      }
      return passwords;
    } finally {
      stop.countDown();
      main.join(Duration.ofSeconds(60).toMillis());
    }
  }
}
