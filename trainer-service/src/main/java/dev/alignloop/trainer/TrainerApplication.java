package dev.alignloop.trainer;

import io.micronaut.runtime.Micronaut;

/** Container entry point: configuration from {@code application.yml} and the environment. */
public final class TrainerApplication {

  private TrainerApplication() {}

  /** Starts the trainer (training loop, {@code /health}, {@code /prometheus}); runs until the JVM stops. */
  public static void main(String[] args) {
    Micronaut.run(TrainerApplication.class, args);
  }
}
