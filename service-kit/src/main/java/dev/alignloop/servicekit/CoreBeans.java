package dev.alignloop.servicekit;

import dev.alignloop.common.blob.BlobStore;
import dev.alignloop.common.blob.BlobStoreOptions;
import dev.alignloop.common.blob.BlobStores;
import dev.alignloop.common.config.ConfigKey;
import dev.alignloop.common.kafka.KafkaConfigKeys;
import dev.alignloop.common.kafka.KafkaSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The beans every service needs, built from the typed config keys in {@code common} so that
 * one definition (doc, default, validation) serves the services, the CLI and the README.
 * Micronaut maps environment variables onto the same names ({@code ALIGNLOOP_KAFKA_BOOTSTRAP_SERVERS}
 * → {@code alignloop.kafka.bootstrap.servers}), which is how Kubernetes configures them.
 */
@Factory
public class CoreBeans {

    /** Where blobs live: {@code file:/abs/dir} or {@code s3://bucket/prefix}. */
    public static final ConfigKey BLOB_URI = new ConfigKey("alignloop.blob.uri", ConfigKey.Type.STRING,
            "file:.alignloop/blobs", "Blob store base URI: file:/abs/dir or s3://bucket/prefix.");

    @Singleton
    KafkaSettings kafkaSettings(PropertyResolver properties) {
        return KafkaSettings.from(collect(properties, KafkaConfigKeys.ALL));
    }

    @Singleton
    @Bean(preDestroy = "close")
    BlobStore blobStore(PropertyResolver properties) {
        String uri = properties.get(BLOB_URI.name(), String.class).orElse(BLOB_URI.defaultValue());
        return BlobStores.open(uri, BlobStoreOptions.from(collect(properties, BlobStoreOptions.ALL)));
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The values of {@code keys} that are set, by property name. */
    public static Map<String, String> collect(PropertyResolver properties, List<ConfigKey> keys) {
        Map<String, String> out = new HashMap<>();
        for (ConfigKey key : keys) {
            properties.get(key.name(), String.class).ifPresent(v -> out.put(key.name(), v));
        }
        return out;
    }
}
