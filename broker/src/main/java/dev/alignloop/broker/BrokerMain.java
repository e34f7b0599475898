package dev.alignloop.broker;

import dev.alignloop.schemas.Topics;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded broker as a foreground process: the body of {@code alignloop broker}.
 * Starts the broker, creates every AlignLoop topic, prints {@code bootstrap.servers=host:port}
 * on stdout (one line, for scripts and humans), and stops cleanly on SIGINT/SIGTERM. A secure
 * broker ({@link BrokerOptions#secure()}) first prints {@code credentials=<file>}: the SCRAM
 * passwords of its users, one {@code user=password} line each.
 */
public final class BrokerMain {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerMain.class);
  /** Prefix of the line printed once the broker is ready. */
  public static final String BOOTSTRAP_LINE_PREFIX = "bootstrap.servers=";
  /** Prefix of the line a secure broker prints with the path of its users' passwords. */
  public static final String CREDENTIALS_LINE_PREFIX = "credentials=";
  private static final long SHUTDOWN_WAIT_SECONDS = 60;

  private BrokerMain() {}

  /**
   * Starts the broker with {@code options} and blocks until the JVM is asked to stop (SIGINT,
   * SIGTERM, or System.exit elsewhere), then shuts the broker down before the JVM exits.
   *
   * @throws BrokerException if the broker cannot start
   */
  public static void runUntilSignalled(BrokerOptions options) {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // The hook only signals and then waits: the broker is closed by the thread that opened it.
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "alignloop-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      run(options, System.out, stop);
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Starts the broker, creates {@link Topics#all()}, prints the bootstrap line to {@code out},
   * waits for {@code stop}, then closes the broker. Testable core of {@link #runUntilSignalled}.
   */
  public static void run(BrokerOptions options, PrintStream out, CountDownLatch stop) {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
      broker.createTopics(Topics.all());
      broker.credentials().ifPresent(c -> {
        out.println(CREDENTIALS_LINE_PREFIX + c.file());
        LOG.info("SASL_PLAINTEXT with SCRAM-SHA-512: set alignloop.kafka.security.protocol=SASL_PLAINTEXT, "
            + "alignloop.kafka.sasl.username=<user> and alignloop.kafka.sasl.password=<its password in {}>", c.file());
      });
      out.println(BOOTSTRAP_LINE_PREFIX + broker.bootstrapServers());
      out.flush();
      LOG.info("Broker ready; data in {}. Stop with Ctrl-C.", broker.dataDir());
      stop.await();
      LOG.info("Stopping broker on {}", broker.bootstrapServers());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
