package dev.alignloop.servicekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.kafka.KafkaSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreBeansTest {
    @TempDir
    Path dir;

    @Test
    void kafkaAndBlobBeansComeFromTheTypedKeys() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "alignloop.kafka.bootstrap.servers", "127.0.0.1:19092",
                "alignloop.kafka.client.id.prefix", "scorer",
                "alignloop.blob.uri", dir.toUri().toString()))) {
            KafkaSettings kafka = ctx.getBean(KafkaSettings.class);
            assertEquals("127.0.0.1:19092", kafka.producer().getProperty("bootstrap.servers"));
            BlobStore blobs = ctx.getBean(BlobStore.class);
            var stored = blobs.put("hello".getBytes(StandardCharsets.UTF_8), "text/plain");
            assertTrue(stored.uri().startsWith("file:"), stored.uri());
            assertEquals("hello", new String(blobs.get(stored), StandardCharsets.UTF_8));
            assertTrue(Files.isDirectory(dir));
        }
    }

    @Test
    void aBadValueFailsStartupNamingTheKey() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "alignloop.kafka.security.protocol", "SASL_SSL"))) {
            var e = assertThrows(BeanInstantiationException.class, () -> ctx.getBean(KafkaSettings.class));
            assertTrue(String.valueOf(e.getCause()).contains("alignloop.kafka.sasl"), String.valueOf(e.getCause()));
        }
    }
}
