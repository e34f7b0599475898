package dev.alignloop.scorer;

import dev.alignloop.reward.RewardModel;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The reward model bean: loaded once per process, its ONNX session(s) reused for every batch. */
@Factory
public class ScorerBeans {

  /**
   * The configured model or ensemble ({@link RewardModels#open}); closed with the context. A
   * manifest that cannot be loaded fails startup with a message naming the file and key.
   */
  @Singleton
  @Bean(preDestroy = "close")
  RewardModel rewardModel(ScorerConfig config) {
    return RewardModels.open(config);
  }
}
