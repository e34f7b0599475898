package dev.alignloop.cli.demo;

/** The loop's services as the demo starts them: module folder and main class. */
enum ServiceKind {
    GENERATOR("generator-service", "dev.alignloop.generator.GeneratorApplication"),
    SCORER("scorer-service", "dev.alignloop.scorer.ScorerApplication"),
    TRAINER("trainer-service", "dev.alignloop.trainer.TrainerApplication"),
    GATE("gate-service", "dev.alignloop.gate.GateApplication");

    final String module;
    final String mainClass;

    ServiceKind(String module, String mainClass) {
        this.module = module;
        this.mainClass = mainClass;
    }

    String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
