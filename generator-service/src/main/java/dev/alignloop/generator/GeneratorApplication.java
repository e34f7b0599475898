package dev.alignloop.generator;

import io.micronaut.runtime.Micronaut;

/** Container entry point: configuration from {@code application.yml} and the environment. */
public final class GeneratorApplication {

    private GeneratorApplication() {
    }

    /** Starts the generator (Kafka loop, checkpoint watcher, {@code /health}, {@code /prometheus}). */
    public static void main(String[] args) {
        Micronaut.run(GeneratorApplication.class, args);
    }
}
