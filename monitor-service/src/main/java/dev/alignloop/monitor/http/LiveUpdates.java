package dev.alignloop.monitor.http;

import dev.alignloop.monitor.MonitorConfig;
import dev.alignloop.monitor.MonitorService;
import dev.alignloop.monitor.api.LiveUpdate;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcasts one {@link LiveUpdate} every {@code stream-interval} to every open {@code
 * /api/stream}. One tick is built for all clients (not one per client), and a client that does
 * not keep up loses ticks instead of buffering them: each tick supersedes the last.
 * JDK {@link SubmissionPublisher} plus {@link FlowAdapters}: no reactive library needed.
 */
@Singleton
public class LiveUpdates implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
  // Per-client buffer; small because ticks supersede each other.
  private static final int BUFFER = 4;

  private final MonitorService service;
  private final ScheduledExecutorService scheduler;
  private final SubmissionPublisher<Event<LiveUpdate>> publisher;

  /** Starts ticking at once (ticks with no subscribers cost one snapshot). */
  public LiveUpdates(MonitorService service, MonitorConfig config) {
    this.service = service;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, config.clientName() + "-sse");
      t.setDaemon(true);
      return t;
    });
    // Delivery on the same thread: onNext only hands the event to Netty, which never blocks.
    this.publisher = new SubmissionPublisher<>(Runnable::run, BUFFER);
    long period = config.streamInterval().toMillis();
    scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /** A stream of ticks for one client, starting with the next tick. */
  public Publisher<Event<LiveUpdate>> subscribe() {
    return FlowAdapters.toPublisher(publisher);
  }

  private void tick() {
    if (publisher.getNumberOfSubscribers() == 0) {
      return;
    }
    try {
      publisher.offer(Event.of(service.live()).name("update"), (subscriber, dropped) -> false);
    } catch (RuntimeException e) {
      LOG.warn("Live update failed", e);
    }
  }

  /** Completes every stream and stops ticking. */
  @PreDestroy
  @Override
  public void close() {
    scheduler.shutdownNow();
    publisher.close();
  }
}
