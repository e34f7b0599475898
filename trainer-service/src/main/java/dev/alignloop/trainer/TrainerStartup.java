package dev.alignloop.trainer;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the {@link TrainerWorker} when the application has started, unless {@code
 * alignloop.trainer.enabled} is false. A separate bean so that a disabled trainer does not even
 * load its models (tools, tests and health-only deployments start in milliseconds).
 */
@Singleton
class TrainerStartup {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerStartup.class);

  private final TrainerConfig config;
  private final BeanProvider<TrainerWorker> worker;

  TrainerStartup(TrainerConfig config, BeanProvider<TrainerWorker> worker) {
    this.config = config;
    this.worker = worker;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    if (config.enabled()) {
      worker.get().start();
    } else {
      LOG.info("alignloop.trainer.enabled=false: not training on {}", config.inputTopic());
    }
  }
}
