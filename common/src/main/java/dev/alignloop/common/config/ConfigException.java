package dev.alignloop.common.config;

/**
 * A configuration value is missing, malformed or conflicts with another. The message always
 * names the key(s) at fault; secret values are never included.
 */
public class ConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A free-form message; it must name the key(s) involved. */
  public ConfigException(String message) {
    super(message);
  }

  /** "Invalid value V for configuration K: REASON" (V masked for passwords). */
  public ConfigException(ConfigKey key, String value, String reason) {
    super(
        value == null
            ? "Configuration " + key.name() + " (env " + key.envName() + ") " + reason
            : "Invalid value '"
                + key.display(value)
                + "' for configuration "
                + key.name()
                + " (env "
                + key.envName()
                + "): "
                + reason);
  }

  /** Two settings that cannot be combined; both keys are named. */
  public static ConfigException conflict(ConfigKey a, String aValue, ConfigKey b, String reason) {
    return new ConfigException(
        "Configuration "
            + a.name()
            + "="
            + a.display(aValue)
            + " conflicts with "
            + b.name()
            + ": "
            + reason);
  }
}
