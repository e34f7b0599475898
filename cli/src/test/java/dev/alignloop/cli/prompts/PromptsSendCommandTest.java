package dev.alignloop.cli.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alignloop.broker.testing.KafkaBrokerExtension;
import dev.alignloop.broker.testing.KafkaTestCluster;
import dev.alignloop.cli.AlignLoopCommand;
import dev.alignloop.schemas.AvroSerde;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.PromptRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class PromptsSendCommandTest {
    @TempDir
    Path dir;

    @Test
    void sendsEveryPromptOfAFileToThePromptsTopic(KafkaTestCluster kafka) throws Exception {
        Path f = Files.writeString(dir.resolve("batch.txt"), "a red circle\na blue square\ntwo green triangles\n");
        int code = AlignLoopCommand.commandLine().execute("prompts", "send", f.toString(),
                "--bootstrap-servers", kafka.bootstrapServers());
        assertEquals(0, code);
        var records = kafka.readAll(Topics.PROMPTS, new StringDeserializer(),
                AvroSerde.of(PromptRequest.class).deserializer(), 3, Duration.ofSeconds(30));
        Set<String> prompts = records.stream().map(r -> r.value().getPrompt()).collect(Collectors.toSet());
        assertEquals(Set.of("a red circle", "a blue square", "two green triangles"), prompts);
        records.forEach(r -> assertEquals(r.value().getId(), r.key()));
    }
}
