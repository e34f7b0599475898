package dev.alignloop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alignloop.broker.security.ServiceAcls;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.config.ConfigKey;
import dev.alignloop.common.kafka.KafkaConfigKeys;
import dev.alignloop.common.kafka.KafkaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ConfigMaps, Secrets and container environments use the services' real config keys: every
 * {@code ALIGNLOOP_*} variable is the environment form of a shared key ({@code alignloop.kafka.*},
 * {@code alignloop.blob.*}) or of a key of that very service (its application.yml or its config
 * record), container ports are the services' HTTP ports, and each service logs in to Kafka as
 * its own {@link ServiceAcls} user.
 */
class ServiceConfigTest {

  private static final List<String> SERVICES = List.of("generator", "scorer", "trainer", "gate", "monitor");

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyVariableIsARealKeyOfItsService(String overlay) throws IOException {
    List<ObjectNode> objects = Overlays.render(overlay);
    Set<String> shared = new HashSet<>();
    KafkaConfigKeys.ALL.forEach(k -> shared.add(k.envName()));
    BlobStoreOptions.ALL.forEach(k -> shared.add(k.envName()));
    shared.add(new ConfigKey("alignloop.blob.uri", ConfigKey.Type.STRING, null, "").envName());
    List<String> problems = new ArrayList<>();
    for (ObjectNode o : objects) {
      String id = Kustomize.id(o);
      switch (o.path("kind").asText()) {
        case "ConfigMap", "Secret" -> {
          List<String> names = new ArrayList<>();
          o.path("data").fieldNames().forEachRemaining(names::add);
          o.path("stringData").fieldNames().forEachRemaining(names::add);
          for (String name : names) {
            if (name.startsWith("ALIGNLOOP_") && !shared.contains(name) && !anyServiceKnows(name)) {
              problems.add(id + ": " + name + " is no AlignLoop config key");
            }
          }
        }
        case "Deployment", "StatefulSet" -> {
          JsonNode container = o.path("spec").path("template").path("spec").path("containers").get(0);
          String service = container.path("name").asText();
          assertTrue(SERVICES.contains(service), id + ": container name " + service + " is not a service");
          for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (name.startsWith("ALIGNLOOP_") && !shared.contains(name) && !serviceKnows(service, name)) {
              problems.add(id + ": " + name + " is not a key of " + service + "-service or a shared key");
            }
          }
          int port = container.path("ports").get(0).path("containerPort").asInt();
          assertEquals(httpPort(service), port, id + ": containerPort vs micronaut.server.port");
          assertEquals("alignloop-" + service, envValue(container, "ALIGNLOOP_KAFKA_SASL_USERNAME"), id);
          assertTrue(ServiceAcls.principal("alignloop-" + service).isPresent(), id + ": no ServiceAcls principal");
          assertEquals("alignloop-" + service, container.path("env").findValue("secretKeyRef").path("name").asText(),
              id + ": the password must come from the KafkaUser's own Secret");
        }
        default -> { }
      }
    }
    assertEquals(List.of(), problems);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theKafkaConfigMapIsAcceptedByKafkaSettings(String overlay, @TempDir Path tmp) throws IOException {
    ObjectNode cm = Kustomize.byId(Overlays.render(overlay)).get("ConfigMap/alignloop-kafka");
    Map<String, String> env = new HashMap<>();
    cm.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    // The trust store is Strimzi's CA Secret in the pod; here any readable .crt file stands in.
    Path ca = Files.writeString(tmp.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    assertTrue(env.get("ALIGNLOOP_KAFKA_SSL_TRUSTSTORE_PATH").endsWith("/ca.crt"));
    env.put("ALIGNLOOP_KAFKA_SSL_TRUSTSTORE_PATH", ca.toString());
    env.put("ALIGNLOOP_KAFKA_SASL_USERNAME", ServiceAcls.SCORER);
    env.put("ALIGNLOOP_KAFKA_SASL_PASSWORD", "from-the-kafkauser-secret");
    KafkaSettings settings = KafkaSettings.from(env);
    assertEquals(SecurityProtocol.SASL_SSL, settings.securityProtocol());
    assertEquals("SCRAM-SHA-512", settings.admin().getProperty("sasl.mechanism"));
    assertEquals("PEM", settings.admin().getProperty("ssl.truststore.type"));
  }

  private static String envValue(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals(name)) {
        return env.path("value").asText();
      }
    }
    return null;
  }

  private static boolean anyServiceKnows(String env) throws IOException {
    for (String s : SERVICES) {
      if (serviceKnows(s, env)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if {@code env} is {@code ALIGNLOOP_<SERVICE>_<KEY>} for a key in the service's
   * application.yml or a component of its {@code @ConfigurationProperties} record.
   */
  static boolean serviceKnows(String service, String env) throws IOException {
    String prefix = "ALIGNLOOP_" + service.toUpperCase(Locale.ROOT) + "_";
    if (!env.startsWith(prefix)) {
      return false;
    }
    JsonNode keys = applicationYml(service).path("alignloop").path(service);
    for (var it = keys.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if ((prefix + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_')).equals(env)) {
        return true;
      }
    }
    String camel = camel(env.substring(prefix.length()));
    Path config = Overlays.repoRoot().resolve(service + "-service/src/main/java/dev/alignloop/" + service + "/"
        + Character.toUpperCase(service.charAt(0)) + service.substring(1) + "Config.java");
    return Files.exists(config)
        && Pattern.compile("\\b" + camel + "\\s*[,)]").matcher(Files.readString(config)).find();
  }

  private static int httpPort(String service) throws IOException {
    return applicationYml(service).path("micronaut").path("server").path("port").asInt();
  }

  private static JsonNode applicationYml(String service) throws IOException {
    return Kustomize.YAML.readTree(Overlays.repoRoot().resolve(service + "-service/src/main/resources/application.yml")
        .toFile());
  }

  private static String camel(String upperSnake) {
    StringBuilder sb = new StringBuilder();
    for (String part : upperSnake.toLowerCase(Locale.ROOT).split("_")) {
      sb.append(sb.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return sb.toString();
  }
}
