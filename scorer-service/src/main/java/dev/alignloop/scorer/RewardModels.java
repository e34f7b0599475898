package dev.alignloop.scorer;

import dev.alignloop.reward.OnnxRewardScorer;
import dev.alignloop.reward.RewardEnsemble;
import dev.alignloop.reward.RewardModel;
import dev.alignloop.reward.RewardModelException;
import dev.alignloop.reward.RewardModelId;
import dev.alignloop.schemas.avro.RewardModelRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the configured reward model(s), and names them for labels. */
public final class RewardModels {

  private RewardModels() {}

  /**
   * Opens {@code config.models()}: one model alone, several as a {@link RewardEnsemble} with the
   * configured weights. Models opened before a failure are closed again.
   *
   * @throws RewardModelException naming the manifest and key at fault (fatal: the service must
   *     not start with a model it cannot load)
   */
  public static RewardModel open(ScorerConfig config) {
    List<Path> paths = config.modelPaths();
    List<RewardModel> opened = new ArrayList<>(paths.size());
    try {
      for (Path p : paths) {
        opened.add(OnnxRewardScorer.open(p, config.scorerOptions()));
      }
      if (opened.size() == 1) {
        return opened.get(0);
      }
      RewardEnsemble.Builder b = RewardEnsemble.builder().optWarmup(config.ensembleWarmup());
      for (int i = 0; i < opened.size(); i++) {
        b.add(opened.get(i), config.weight(i));
      }
      return b.build();
    } catch (RuntimeException e) {
      for (RewardModel m : opened) {
        try {
          m.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * What a label records as {@code rewardModels}: the model itself, or every member of an
   * ensemble (each with the SHA-256 of its ONNX file), in configuration order.
   */
  public static List<RewardModelRef> refs(RewardModel model) {
    List<RewardModelId> ids = model instanceof RewardEnsemble e ? e.memberIds() : List.of(model.id());
    return ids.stream()
        .map(id -> RewardModelRef.newBuilder().setName(id.name()).setSha256(id.sha256()).build())
        .toList();
  }
}
