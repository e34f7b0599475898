package dev.alignloop.scorer;

import io.micronaut.runtime.Micronaut;

/** Container entry point: configuration from {@code application.yml} and the environment. */
public final class ScorerApplication {

  private ScorerApplication() {}

  /** Starts the scorer (Kafka loop, {@code /health}, {@code /prometheus}); runs until the JVM stops. */
  public static void main(String[] args) {
    Micronaut.run(ScorerApplication.class, args);
  }
}
