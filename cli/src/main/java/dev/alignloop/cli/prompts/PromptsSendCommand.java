package dev.alignloop.cli.prompts;

import dev.alignloop.common.kafka.KafkaSettings;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.streaming.Producers;
import dev.alignloop.streaming.SourceProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send the prompts of FILE to alignloop.prompts (one per line, or JSON Lines for *.jsonl: "
                + "{\"prompt\": ..., \"id\"?, \"negative_prompt\"?, \"seed\"?}).",
                "Waits until the broker acknowledged every prompt."})
final class PromptsSendCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Prompt file (.txt or .jsonl).")
    Path file;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:ALIGNLOOP_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE} (env ALIGNLOOP_KAFKA_BOOTSTRAP_SERVERS).")
    String bootstrap;

    @Option(names = "--timeout", defaultValue = "PT60S", description = "How long to wait for acknowledgements. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        List<PromptRequest> prompts = PromptFileReader.read(file, runId, Instant.now());
        // Environment first (ALIGNLOOP_KAFKA_SASL_* etc. for secured clusters), then the option.
        java.util.Map<String, String> config = new java.util.HashMap<>(System.getenv());
        config.put("alignloop.kafka.bootstrap.servers", bootstrap);
        config.putIfAbsent("alignloop.kafka.client.id.prefix", "alignloop-prompts");
        try (SourceProducer<PromptRequest> producer = Producers.idempotent(
                KafkaSettings.from(config), AvroSerde.of(PromptRequest.class).serializer())) {
            int n = producer.sendAll(Topics.PROMPTS, prompts, PromptRequest::getId, timeout);
            System.out.println("sent " + n + " prompts from " + file + " to " + Topics.PROMPTS + " on " + bootstrap);
        }
        return 0;
    }
}
