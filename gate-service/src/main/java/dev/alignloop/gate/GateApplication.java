package dev.alignloop.gate;

import io.micronaut.runtime.Micronaut;

/** The eval gate as its own service (its own pod: sampling needs the accelerator too). */
public final class GateApplication {
    private GateApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(GateApplication.class, args);
    }
}
