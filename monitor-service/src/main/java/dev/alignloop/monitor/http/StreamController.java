package dev.alignloop.monitor.http;

import dev.alignloop.monitor.api.LiveUpdate;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import org.reactivestreams.Publisher;

/** {@code GET /api/stream}: Server-Sent Events, one {@code update} event per tick. */
@Controller("/api/stream")
public class StreamController {

  private final LiveUpdates updates;

  /** Wires the controller. */
  public StreamController(LiveUpdates updates) {
    this.updates = updates;
  }

  /** Live ticks until the client disconnects. */
  @Get(produces = MediaType.TEXT_EVENT_STREAM)
  public Publisher<Event<LiveUpdate>> stream() {
    return updates.subscribe();
  }
}
