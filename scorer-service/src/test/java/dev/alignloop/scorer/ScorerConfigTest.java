package dev.alignloop.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code alignloop.scorer.*} keys: defaults from application.yml, binding, validation naming the key. */
class ScorerConfigTest {

  @Test
  void defaultsMatchTheDocumentedOnes() {
    // (the loop is off so that no model is loaded: models/shapes-reward is not shipped yet)
    try (ApplicationContext ctx = run(Map.of("alignloop.scorer.instance-id", "scorer-0"))) {
      ScorerConfig c = ctx.getBean(ScorerConfig.class);
      assertEquals(List.of(ScorerConfig.DEFAULT_MODEL), c.models());
      assertEquals(ScorerConfig.DEFAULT_TIE_MARGIN, c.tieMargin());
      assertEquals(32, c.maxPairsPerBatch());
      assertEquals(64, c.scorerOptions().maxBatchSize(), "2 images per pair");
      assertEquals(64, c.maxPollRecords());
      assertEquals(Duration.ofMinutes(5), c.maxPollInterval());
      assertEquals("alignloop-scorer", c.groupId());
      assertEquals("scorer-0", c.instanceId());
      assertEquals("alignloop.pairs", c.inputTopic());
      assertEquals("alignloop.preferences", c.outputTopic());
      assertEquals("alignloop.dlq", c.deadLetterTopic());
      assertEquals(1.0, c.weight(0));
      // the record's own defaults agree with application.yml's
      ScorerConfig d = ScorerConfig.defaults(List.of(ScorerConfig.DEFAULT_MODEL));
      assertEquals(d.tieMargin(), c.tieMargin());
      assertEquals(d.maxPollRecords(), c.maxPollRecords());
      assertEquals(d.loadThreads(), c.loadThreads());
    }
  }

  @Test
  void commaSeparatedListsBindAsEnvironmentVariablesGiveThem() {
    try (ApplicationContext ctx = run(Map.of(
        "alignloop.scorer.models", "a/reward.json,b/reward.json",
        "alignloop.scorer.weights", "2,0.5",
        "alignloop.scorer.tie-margin", "0.2"))) {
      ScorerConfig c = ctx.getBean(ScorerConfig.class);
      assertEquals(List.of(Path.of("a/reward.json"), Path.of("b/reward.json")), c.modelPaths());
      assertEquals(2.0, c.weight(0));
      assertEquals(0.5, c.weight(1));
      assertEquals(0.2, c.tieMargin());
    }
  }

  @Test
  void conflictingWeightsNameBothKeys() {
    try (ApplicationContext ctx = run(Map.of(
        "alignloop.scorer.models", "a/reward.json,b/reward.json", "alignloop.scorer.weights", "1"))) {
      var e = assertThrows(BeanInstantiationException.class, () -> ctx.getBean(ScorerConfig.class));
      String msg = rootMessage(e);
      assertTrue(msg.contains("alignloop.scorer.weights") && msg.contains("alignloop.scorer.models"), msg);
    }
  }

  @Test
  void badValuesNameTheirKey() {
    assertKey(Map.of("alignloop.scorer.tie-margin", "-1"), "alignloop.scorer.tie-margin");
    assertKey(Map.of("alignloop.scorer.max-poll-records", "0"), "alignloop.scorer.max-poll-records");
    assertKey(Map.of("alignloop.scorer.instance-id", "a b"), "alignloop.scorer.instance-id");
    assertKey(Map.of("alignloop.scorer.max-poll-interval", "10s"), "alignloop.scorer.max-poll-interval");
  }

  private static void assertKey(Map<String, Object> props, String key) {
    try (ApplicationContext ctx = run(props)) {
      var e = assertThrows(BeanInstantiationException.class, () -> ctx.getBean(ScorerConfig.class));
      assertTrue(rootMessage(e).contains(key), rootMessage(e));
    }
  }

  /**
   * A context without the Kafka loop (so no model loads) and without the health monitor (whose
   * scheduling races the immediate close of these short-lived contexts and logs an ERROR).
   */
  private static ApplicationContext run(Map<String, Object> props) {
    Map<String, Object> all = new java.util.HashMap<>(props);
    all.put("alignloop.scorer.enabled", "false");
    all.put("micronaut.health.monitor.enabled", "false");
    return ApplicationContext.run(all);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
