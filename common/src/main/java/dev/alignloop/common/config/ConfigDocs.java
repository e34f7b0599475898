package dev.alignloop.common.config;

import java.util.Collection;

/** Generates documentation (Markdown tables for READMEs) from {@link ConfigKey} definitions. */
public final class ConfigDocs {

  private ConfigDocs() {}

  /** A Markdown table: key, environment variable, type, default, description. */
  public static String markdownTable(Collection<ConfigKey> keys) {
    StringBuilder sb = new StringBuilder();
    sb.append("| key | env | type | default | description |\n");
    sb.append("|---|---|---|---|---|\n");
    for (ConfigKey k : keys) {
      sb.append("| `")
          .append(k.name())
          .append("` | `")
          .append(k.envName())
          .append("` | ")
          .append(k.type().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(k.defaultValue() == null ? "" : "`" + k.defaultValue() + "`")
          .append(" | ")
          .append(k.doc().replace("|", "\\|").replace("\n", " "))
          .append(" |\n");
    }
    return sb.toString();
  }
}
