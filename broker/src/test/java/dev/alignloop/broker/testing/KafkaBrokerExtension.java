package dev.alignloop.broker.testing;

import dev.alignloop.broker.BrokerOptions;
import dev.alignloop.broker.EmbeddedKafkaBroker;
import dev.alignloop.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a real Kafka broker: ONE embedded KRaft broker per test
 * JVM, started lazily on first use in a temp directory on a free port, with every AlignLoop
 * topic ({@link Topics#all()}) created, and stopped (and its directory deleted) when the whole
 * test run ends.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class ScorerIT {
 *   @Test
 *   void labelsPairs(KafkaTestCluster kafka) {
 *     String topic = kafka.newTopic("pairs");
 *     ...
 *   }
 * }
 * }</pre>
 *
 * Resolves parameters of type {@link KafkaTestCluster} and {@link EmbeddedKafkaBroker}
 * (constructor, lifecycle and test methods). Other modules use it through the broker test-jar:
 * depend on {@code alignloop-broker} and on {@code alignloop-broker} with {@code
 * <type>test-jar</type>}, both in test scope.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KafkaTestCluster.class || type == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KafkaTestCluster cluster = cluster(context);
    return parameter.getParameter().getType() == EmbeddedKafkaBroker.class ? cluster.broker() : cluster;
  }

  /** The shared cluster, started on first call; for use from other extensions. */
  public static KafkaTestCluster cluster(ExtensionContext context) {
    // The root store lives for the whole test plan and closes its values at the very end.
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class)
        .cluster;
  }

  /** Stored value that owns the broker and its temp dir. */
  @SuppressWarnings("deprecation") // CloseableResource: still honoured, and works on JUnit < 5.13
  static final class SharedBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final KafkaTestCluster cluster;
    final Path dir;
    private boolean closed;

    private SharedBroker(KafkaTestCluster cluster, Path dir) {
      this.cluster = cluster;
      this.dir = dir;
    }

    static SharedBroker start() {
      Path dir;
      try {
        dir = Files.createTempDirectory("alignloop-kafka-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedKafkaBroker broker =
          EmbeddedKafkaBroker.start(new BrokerOptions(dir, 0, BrokerOptions.DEFAULT_HOST, Map.of()));
      try {
        broker.createTopics(Topics.all());
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      return new SharedBroker(new KafkaTestCluster(broker), dir);
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      cluster.broker().close();
      deleteRecursively(dir);
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temp dir
    }
  }
}
