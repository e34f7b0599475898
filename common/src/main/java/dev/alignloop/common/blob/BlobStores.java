package dev.alignloop.common.blob;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Opens a {@link BlobStore} from a base URI. */
public final class BlobStores {

  /** URI schemes {@link #open} understands. */
  public static final List<String> SUPPORTED_SCHEMES = List.of("file", "s3");

  private BlobStores() {}

  /**
   * Opens the store at {@code baseUri}: {@code file:/abs/dir} or {@code file:///abs/dir} (a bare
   * path without a scheme is taken as a directory too), or {@code s3://bucket[/prefix]}.
   *
   * @throws IllegalArgumentException for an unsupported scheme, naming the URI and the
   *     supported schemes
   */
  public static BlobStore open(String baseUri, BlobStoreOptions options) {
    if (baseUri == null || baseUri.isBlank()) {
      throw new IllegalArgumentException("Blob store URI must not be blank; supported schemes: " + SUPPORTED_SCHEMES);
    }
    URI uri;
    try {
      uri = new URI(baseUri.strip());
    } catch (URISyntaxException e) {
      // Not a URI at all: a plain directory path with characters URIs do not allow.
      return new FileBlobStore(Path.of(baseUri.strip()), options.fsync());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null) {
      return new FileBlobStore(Path.of(baseUri.strip()), options.fsync());
    }
    return switch (scheme) {
      case "file" -> {
        if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
          throw new IllegalArgumentException(
              "Blob store URI '" + baseUri + "' must be an absolute file URI, e.g. file:/var/lib/alignloop/blobs");
        }
        yield new FileBlobStore(Path.of(uri), options.fsync());
      }
      case "s3" -> S3BlobStore.open(uri, options);
      default ->
          throw new IllegalArgumentException(
              "Unsupported blob store URI '" + baseUri + "': scheme '" + uri.getScheme()
                  + "' is not one of " + SUPPORTED_SCHEMES);
    };
  }
}
