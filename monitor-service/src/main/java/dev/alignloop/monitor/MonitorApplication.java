package dev.alignloop.monitor;

import io.micronaut.runtime.Micronaut;

/** Container entry point: configuration from {@code application.yml} and the environment. */
public final class MonitorApplication {

  private MonitorApplication() {}

  /** Starts the monitor and its HTTP server; runs until the JVM is stopped. */
  public static void main(String[] args) {
    Micronaut.run(MonitorApplication.class, args);
  }
}
