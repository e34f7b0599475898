package dev.alignloop.monitor.aggregate;

import dev.alignloop.monitor.api.DlqView;
import dev.alignloop.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The newest dead letters and counts per reason kind. */
public final class DeadLetterLog {

  /** Distinct reason kinds kept before the rest count as {@value #OTHER}: bounds metric tags. */
  static final int MAX_KINDS = 64;
  static final String OTHER = "other";
  private static final int MAX_REASON = 500;
  private static final int MAX_KEY = 120;
  // SchemaException and DeadLetters put the failure kind first: "BAD_MARKER on topic ...".
  private static final Pattern LEADING_KIND = Pattern.compile("^([A-Z][A-Z0-9_]{2,63})(?![A-Za-z0-9_])");
  private static final Pattern SAFE = Pattern.compile("[^A-Za-z0-9_.-]");

  private final int capacity;
  private final ArrayDeque<DlqView.Entry> entries = new ArrayDeque<>();
  private final Map<String, Long> byReason = new TreeMap<>();
  private long total;

  /** Keeps the newest {@code capacity} entries. */
  public DeadLetterLog(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Adds one dead letter.
   *
   * @param dlqPartition partition of the dead letter in the DLQ topic
   * @param dlqOffset its offset there
   * @return the reason kind it was counted under
   */
  public synchronized String add(DeadLetter d, int dlqPartition, long dlqOffset) {
    String kind = reasonKind(d.getReason(), d.getErrorClass());
    if (!byReason.containsKey(kind) && byReason.size() >= MAX_KINDS) {
      kind = OTHER;
    }
    byReason.merge(kind, 1L, Long::sum);
    total++;
    String reason = d.getReason().length() > MAX_REASON ? d.getReason().substring(0, MAX_REASON) + "..." : d.getReason();
    entries.addFirst(new DlqView.Entry(d.getSourceTopic(), d.getPartition(), d.getOffset(), d.getService(),
        d.getErrorClass(), kind, reason, d.getFailedAt().toEpochMilli(), keyText(d.getKey()),
        d.getPayload() == null ? -1 : d.getPayload().remaining(), dlqPartition, dlqOffset));
    if (entries.size() > capacity) {
      entries.removeLast();
    }
    return kind;
  }

  /** Counts, newest entries first. */
  public synchronized DlqView view() {
    return new DlqView(total, Map.copyOf(byReason), new ArrayList<>(entries));
  }

  /**
   * A low-cardinality name for why a record failed: the leading upper-case token of the reason
   * ({@code BAD_MARKER}, {@code UNKNOWN_FINGERPRINT}, ...) when there is one, else the simple
   * name of the error class. Reasons themselves carry offsets and byte previews, so they would
   * make one metric series per failure.
   */
  static String reasonKind(String reason, String errorClass) {
    Matcher m = LEADING_KIND.matcher(reason == null ? "" : reason.strip());
    if (m.find()) {
      return m.group(1);
    }
    String cls = errorClass == null || errorClass.isBlank() ? "unknown" : errorClass.strip();
    cls = cls.substring(cls.lastIndexOf('.') + 1);
    cls = SAFE.matcher(cls).replaceAll("_");
    return cls.isEmpty() ? "unknown" : cls.substring(0, Math.min(cls.length(), 64));
  }

  /** UTF-8 text when the key decodes and is printable, else hex; truncated. */
  static String keyText(ByteBuffer key) {
    if (key == null) {
      return null;
    }
    ByteBuffer copy = key.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      if (text.codePoints().anyMatch(c -> Character.isISOControl(c))) {
        text = "0x" + HexFormat.of().formatHex(bytes);
      }
    } catch (CharacterCodingException e) {
      text = "0x" + HexFormat.of().formatHex(bytes);
    }
    return text.length() > MAX_KEY ? text.substring(0, MAX_KEY) + "..." : text;
  }

  /** Entries retained (for tests). */
  synchronized List<DlqView.Entry> entries() {
    return List.copyOf(entries);
  }
}
