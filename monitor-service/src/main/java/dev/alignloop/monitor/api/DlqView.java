package dev.alignloop.monitor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/dlq}: dead-letter counts and the newest entries.
 *
 * @param total dead letters seen since the monitor started
 * @param byReason counts per reason kind (see {@link Entry#reasonKind})
 * @param entries newest first
 */
@Serdeable
public record DlqView(long total, Map<String, Long> byReason, List<Entry> entries) {

  /**
   * @param sourceTopic topic of the failed record
   * @param partition its partition
   * @param offset its offset
   * @param service service that gave up
   * @param errorClass error class or failure kind
   * @param reasonKind a low-cardinality reason: the leading upper-case token of the reason
   *     (e.g. {@code BAD_MARKER}) or else the error's simple class name
   * @param reason the full reason (truncated to 500 characters)
   * @param failedAtMs when
   * @param key the record key as text (hex when not printable), null if none
   * @param payloadBytes size of the raw payload, -1 if none
   * @param dlqPartition where the dead letter itself sits in the DLQ topic
   * @param dlqOffset its offset there
   */
  @Serdeable
  public record Entry(String sourceTopic, int partition, long offset, String service, String errorClass,
      String reasonKind, String reason, long failedAtMs, @Nullable String key, int payloadBytes,
      int dlqPartition, long dlqOffset) {}
}
