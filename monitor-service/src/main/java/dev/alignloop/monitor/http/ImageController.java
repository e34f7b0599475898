package dev.alignloop.monitor.http;

import dev.alignloop.monitor.BlobImages;
import dev.alignloop.monitor.MonitorService;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /api/images/{sha256}?uri=...}: gallery images, verified against their hash. Content
 * addressed, so browsers may cache them forever.
 */
@Controller("/api/images")
public class ImageController {

  private final MonitorService service;

  /** Wires the controller. */
  public ImageController(MonitorService service) {
    this.service = service;
  }

  /** The image bytes; 400, 404 or 500 as {@link BlobImages#get} says. */
  @Get("/{sha256}")
  @ExecuteOn(TaskExecutors.BLOCKING) // blob reads are file or S3 I/O
  public HttpResponse<byte[]> image(@PathVariable String sha256, @QueryValue String uri) {
    BlobImages.Image image = service.image(sha256, uri);
    return HttpResponse.ok(image.data())
        .contentType(MediaType.of(image.mediaType()))
        .header("Cache-Control", "public, max-age=31536000, immutable")
        .header("X-Content-Type-Options", "nosniff");
  }

  /** Maps image failures to statuses with a plain-text reason. */
  @Error(exception = BlobImages.ImageException.class)
  public HttpResponse<String> failed(HttpRequest<?> request, BlobImages.ImageException e) {
    HttpStatus status = switch (e.kind()) {
      case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case CORRUPT -> HttpStatus.INTERNAL_SERVER_ERROR;
    };
    return HttpResponse.<String>status(status).contentType(MediaType.TEXT_PLAIN_TYPE).body(e.getMessage());
  }
}
