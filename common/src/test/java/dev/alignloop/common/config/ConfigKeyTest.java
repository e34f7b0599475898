package dev.alignloop.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.kafka.KafkaConfigKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

  static final ConfigKey FLAG = new ConfigKey("alignloop.x.enabled", ConfigKey.Type.BOOLEAN, "false", "A flag.");
  static final ConfigKey SECRET = new ConfigKey("alignloop.x.password", ConfigKey.Type.PASSWORD, null, "Secret.");

  @Test
  void lookupPrefersThePropertyNameThenTheEnvironmentName() {
    assertEquals("ALIGNLOOP_X_ENABLED", FLAG.envName());
    assertTrue(FLAG.booleanValue(Map.of("ALIGNLOOP_X_ENABLED", "true")));
    assertFalse(FLAG.booleanValue(Map.of("alignloop.x.enabled", "false", "ALIGNLOOP_X_ENABLED", "true")));
    assertFalse(FLAG.booleanValue(Map.of("alignloop.x.enabled", " ")), "blank is absent: default");
  }

  @Test
  void errorsNameTheKeyAndMaskSecrets() {
    ConfigException e = assertThrows(ConfigException.class, () -> FLAG.booleanValue(Map.of("alignloop.x.enabled", "yes")));
    assertTrue(e.getMessage().contains("alignloop.x.enabled") && e.getMessage().contains("yes"), e.getMessage());
    ConfigException s = new ConfigException(SECRET, "hunter2", "too short");
    assertFalse(s.getMessage().contains("hunter2"), s.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ConfigKey("Bad_Name", ConfigKey.Type.STRING, null, "x"));
  }

  @Test
  void markdownTableListsEveryKey() {
    String table = ConfigDocs.markdownTable(KafkaConfigKeys.ALL);
    for (ConfigKey k : KafkaConfigKeys.ALL) {
      assertTrue(table.contains("`" + k.name() + "`") && table.contains(k.envName()), k.name());
    }
    assertEquals(KafkaConfigKeys.ALL.size() + 2, table.lines().count());
  }
}
