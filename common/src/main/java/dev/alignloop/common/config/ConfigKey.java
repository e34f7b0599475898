package dev.alignloop.common.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration key: its property name (e.g. {@code alignloop.kafka.bootstrap.servers}),
 * type, default (null: no default) and documentation. The matching environment variable is the
 * name upper-cased with dots and dashes turned into underscores ({@code
 * ALIGNLOOP_KAFKA_BOOTSTRAP_SERVERS}).
 *
 * @param name property name, lowercase, dot-separated
 * @param type value type, used for docs and to mask secrets
 * @param defaultValue default as text, or null when the key has none
 * @param doc one-sentence description for generated docs
 */
public record ConfigKey(String name, Type type, String defaultValue, String doc) {

  /** Value types; {@link #PASSWORD} values are never printed. */
  public enum Type {
    STRING,
    PASSWORD,
    INT,
    LONG,
    BOOLEAN,
    DURATION,
    URI,
    PATH,
    LIST
  }

  /** Validates the definition itself. */
  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
    if (!name.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
      throw new IllegalArgumentException("Config key name must be lowercase dotted, got " + name);
    }
  }

  /** The environment variable that also sets this key. */
  public String envName() {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * The value in {@code source}, looked up by property name first and then by environment
   * variable name; blank values count as absent. No default applied.
   */
  public Optional<String> lookup(Map<String, String> source) {
    String v = source.get(name);
    if (v == null || v.isBlank()) {
      v = source.get(envName());
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  /** The value in {@code source}, else the default (which may be null). */
  public String valueOrDefault(Map<String, String> source) {
    return lookup(source).orElse(defaultValue);
  }

  /** Parses a boolean value strictly ({@code true}/{@code false}), naming this key on error. */
  public boolean booleanValue(Map<String, String> source) {
    String v = valueOrDefault(source);
    if (v == null) {
      throw new ConfigException(this, null, "is required");
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(this, v, "must be true or false");
    };
  }

  /** Parses a long value, naming this key on error; null when absent with no default. */
  public Long longValue(Map<String, String> source) {
    String v = valueOrDefault(source);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException(this, v, "must be an integer");
    }
  }

  /** How a value of this key may be shown in logs and errors (passwords are masked). */
  public String display(String value) {
    if (value == null) {
      return "null";
    }
    return type == Type.PASSWORD ? "[hidden]" : value;
  }
}
