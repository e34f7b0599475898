package dev.alignloop.schemas.testing;

import dev.alignloop.schemas.SchemaException;
import dev.alignloop.schemas.Topics;
import dev.alignloop.schemas.avro.BlobRef;
import dev.alignloop.schemas.avro.Checkpoint;
import dev.alignloop.schemas.avro.CheckpointStatus;
import dev.alignloop.schemas.avro.DeadLetter;
import dev.alignloop.schemas.avro.EvalDecision;
import dev.alignloop.schemas.avro.EvalResult;
import dev.alignloop.schemas.avro.ImagePair;
import dev.alignloop.schemas.avro.PreferenceLabel;
import dev.alignloop.schemas.avro.PromptRequest;
import dev.alignloop.schemas.avro.RewardModelRef;
import dev.alignloop.schemas.avro.SamplerSettings;
import dev.alignloop.schemas.avro.TopicOffset;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One realistic instance of every AlignLoop message, with optional fields set (and a second
 * variant with them null), for round-trip tests here and in other modules (schemas test-jar).
 */
public final class Samples {

  /** Millisecond precision, as timestamp-millis keeps. */
  public static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);

  private Samples() {}

  public static PromptRequest prompt(String id) {
    return PromptRequest.newBuilder().setId(id).setPrompt("a red circle above a blue square")
        .setNegativePrompt("blurry").setSeed(42L).setSource("grammar").setCreatedAt(T0).build();
  }

  public static BlobRef blob(String name) {
    return BlobRef.newBuilder().setUri("file:/tmp/blobs/" + name + ".png").setSha256("ab".repeat(32))
        .setWidth(32).setHeight(32).setMediaType("image/png").build();
  }

  public static ImagePair pair(String pairId) {
    return ImagePair.newBuilder().setPairId(pairId).setPromptId("p-1").setPrompt("a red circle")
        .setPolicyVersion("v3")
        .setSampler(SamplerSettings.newBuilder().setName("ddim").setSteps(20).setGuidance(7.5f)
            .setSeedA(1L).setSeedB(2L).build())
        .setImageA(blob("a")).setImageB(blob("b")).setCreatedAt(T0).build();
  }

  public static PreferenceLabel label(String pairId) {
    return PreferenceLabel.newBuilder().setPairId(pairId).setPrompt("a red circle")
        .setWinner(blob("a")).setLoser(blob("b")).setScoreWinner(0.9).setScoreLoser(0.2).setMargin(0.7)
        .setRewardModels(List.of(RewardModelRef.newBuilder().setName("tiny-clip").setSha256("cd".repeat(32)).build()))
        .setPolicyVersion("v3").setSource("ai").setLabelledAt(T0).build();
  }

  public static Checkpoint checkpoint(String version) {
    return Checkpoint.newBuilder().setVersion(version).setParentVersion("v2").setUri("file:/tmp/ckpt/" + version)
        .setSha256("ef".repeat(32)).setStep(1200L)
        .setConsumedOffsets(List.of(TopicOffset.newBuilder().setTopic(Topics.PREFERENCES).setPartition(0).setOffset(77L).build(),
            TopicOffset.newBuilder().setTopic(Topics.PREFERENCES).setPartition(1).setOffset(80L).build()))
        .setMetrics(Map.of("dpo_loss", 0.61, "implicit_accuracy", 0.72))
        .setStatus(CheckpointStatus.CANDIDATE).setCreatedAt(T0).build();
  }

  public static EvalResult eval(String version) {
    return EvalResult.newBuilder().setCheckpointVersion(version).setBaselineVersion("v2").setPrompts(64)
        .setWinRate(0.61).setWinRateLow(0.52).setWinRateHigh(0.70).setMeanReward(0.41).setMeanRewardBaseline(0.35)
        .setJudgeScore(0.55).setJudgeScoreBaseline(0.50).setDecision(EvalDecision.PROMOTED)
        .setReason("winRateLow 0.52 >= 0.50").setEvaluatedAt(T0).build();
  }

  public static DeadLetter deadLetter(long offset) {
    return DeadLetter.newBuilder().setSourceTopic(Topics.PAIRS).setPartition(1).setOffset(offset)
        .setKey(ByteBuffer.wrap(new byte[] {'k'})).setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setErrorClass(SchemaException.class.getName()).setReason("BAD_MARKER").setFailedAt(T0)
        .setService("scorer-service").build();
  }

  /** One instance of every message type, optional fields set. */
  public static List<SpecificRecord> all() {
    return List.of(prompt("p-1"), pair("pair-1"), label("pair-1"), checkpoint("v3"), eval("v3"), deadLetter(5));
  }

  /** Variants with every nullable field null and collections empty. */
  public static List<SpecificRecord> allMinimal() {
    PromptRequest p = prompt("p-2");
    p.setNegativePrompt(null);
    p.setSeed(null);
    PreferenceLabel l = label("pair-2");
    l.setRewardModels(List.of());
    l.setSource("human");
    Checkpoint c = checkpoint("v0");
    c.setParentVersion(null);
    c.setConsumedOffsets(List.of());
    c.setMetrics(Map.of());
    EvalResult e = eval("v4");
    e.setJudgeScore(null);
    e.setJudgeScoreBaseline(null);
    e.setDecision(EvalDecision.REJECTED);
    DeadLetter d = deadLetter(6);
    d.setKey(null);
    d.setPayload(null);
    return List.of(p, pair("pair-2"), l, c, e, d);
  }
}
