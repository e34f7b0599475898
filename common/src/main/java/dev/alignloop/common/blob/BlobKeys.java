package dev.alignloop.common.blob;

import dev.alignloop.common.io.Sha256;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The content-addressed key layout {@code ab/abcdef....ext} and media-type extensions. */
final class BlobKeys {

  static final String DEFAULT_MEDIA_TYPE = "application/octet-stream";

  // Media type -> extension; the reverse map recovers the media type when listing.
  private static final Map<String, String> EXTENSIONS =
      Map.ofEntries(
          Map.entry("image/png", "png"),
          Map.entry("image/jpeg", "jpg"),
          Map.entry("image/webp", "webp"),
          Map.entry("image/gif", "gif"),
          Map.entry("application/json", "json"),
          Map.entry("text/plain", "txt"),
          Map.entry("application/x-tar", "tar"),
          Map.entry("application/gzip", "gz"),
          Map.entry("application/zip", "zip"),
          Map.entry("application/x-parquet", "parquet"),
          Map.entry("application/x-safetensors", "safetensors"),
          Map.entry("application/onnx", "onnx"),
          Map.entry(DEFAULT_MEDIA_TYPE, "bin"));

  private static final Map<String, String> MEDIA_TYPES =
      EXTENSIONS.entrySet().stream()
          .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

  private static final Pattern KEY = Pattern.compile("([0-9a-f]{2})/([0-9a-f]{64})\\.([a-z0-9]+)");

  private BlobKeys() {}

  /** A parsed key. */
  record Key(String sha256, String extension) {
    String mediaType() {
      return MEDIA_TYPES.getOrDefault(extension, DEFAULT_MEDIA_TYPE);
    }
  }

  /** Lowercased media type without parameters ({@code image/PNG; q=1} → {@code image/png}). */
  static String normalizeMediaType(String mediaType) {
    if (mediaType == null || mediaType.isBlank()) {
      throw new IllegalArgumentException("mediaType must not be blank");
    }
    String m = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!m.matches("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")) {
      throw new IllegalArgumentException("Not a media type: '" + mediaType + "'");
    }
    return m;
  }

  /** File extension for a (normalized) media type; {@code bin} for unknown types. */
  static String extension(String mediaType) {
    return EXTENSIONS.getOrDefault(mediaType, "bin");
  }

  /** The relative key for content with this hash and media type. */
  static String relativeKey(String sha256, String mediaType) {
    return sha256.substring(0, 2) + "/" + sha256 + "." + extension(mediaType);
  }

  /** Parses a relative key; null if it does not follow the layout. */
  static Key parse(String relativeKey) {
    Matcher m = KEY.matcher(relativeKey);
    if (!m.matches() || !m.group(2).startsWith(m.group(1)) || !Sha256.isHex(m.group(2))) {
      return null;
    }
    return new Key(m.group(2), m.group(3));
  }
}
