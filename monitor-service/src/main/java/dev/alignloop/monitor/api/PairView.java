package dev.alignloop.monitor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A recent image pair with its label, if one arrived ({@code GET /api/pairs}).
 *
 * @param pairId pair id
 * @param prompt prompt text
 * @param policyVersion policy that sampled both images
 * @param sampler e.g. {@code ddim 20 steps, cfg 7.5}
 * @param createdAtMs when generated
 * @param imageA first image
 * @param imageB second image
 * @param winner {@code A}, {@code B}, or null while unlabelled
 * @param scoreA reward of A, null while unlabelled
 * @param scoreB reward of B, null while unlabelled
 * @param margin winner minus loser, null while unlabelled
 * @param labelSource {@code ai} or {@code human}, null while unlabelled
 */
@Serdeable
public record PairView(String pairId, String prompt, String policyVersion, String sampler, long createdAtMs,
    Image imageA, Image imageB, @Nullable String winner, @Nullable Double scoreA, @Nullable Double scoreB,
    @Nullable Double margin, @Nullable String labelSource) {

  /**
   * @param uri blob URI
   * @param sha256 content hash
   * @param width pixels
   * @param height pixels
   * @param url where the dashboard loads it: {@code /api/images/{sha256}?uri=...}
   */
  @Serdeable
  public record Image(String uri, String sha256, int width, int height, String url) {}
}
