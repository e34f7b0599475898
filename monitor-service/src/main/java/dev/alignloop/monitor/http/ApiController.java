package dev.alignloop.monitor.http;

import dev.alignloop.monitor.MonitorService;
import dev.alignloop.monitor.api.CheckpointView;
import dev.alignloop.monitor.api.CurvesView;
import dev.alignloop.monitor.api.DlqView;
import dev.alignloop.monitor.api.EvalView;
import dev.alignloop.monitor.api.LiveUpdate;
import dev.alignloop.monitor.api.PairView;
import dev.alignloop.monitor.api.TopicsView;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;

/** The dashboard's JSON API; all in-memory reads, so they run on the event loop. */
@Controller("/api")
public class ApiController {

  private final MonitorService service;

  /** Wires the controller. */
  public ApiController(MonitorService service) {
    this.service = service;
  }

  /** Topic table: rate, size, lag; broker status; lag per group partition. */
  @Get("/topics")
  public TopicsView topics() {
    return service.topics();
  }

  /** Training curves by step and label margins. */
  @Get("/curves")
  public CurvesView curves() {
    return service.curves();
  }

  /** Checkpoint lineage with statuses. */
  @Get("/checkpoints")
  public List<CheckpointView> checkpoints() {
    return service.checkpoints();
  }

  /** Eval results. */
  @Get("/evals")
  public List<EvalView> evals() {
    return service.evals();
  }

  /** Dead letters: counts and newest entries. */
  @Get("/dlq")
  public DlqView dlq() {
    return service.dlq();
  }

  /** Recent pairs with winner and scores. */
  @Get("/pairs")
  public List<PairView> pairs() {
    return service.pairs();
  }

  /** One live tick, for clients that poll instead of streaming. */
  @Get("/live")
  public LiveUpdate live() {
    return service.live();
  }
}
