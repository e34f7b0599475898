package ai.djl.ndarray;

/**
 * Test-only view of how many resources (arrays, sub-managers) a DJL manager holds: {@code
 * BaseNDManager.resources} is protected, so this helper lives in DJL's package. A resource leak
 * on the training path shows up here as a count that grows by one or more per step.
 */
public final class ManagerProbe {
  private ManagerProbe() {}

  /** Resources directly attached to {@code manager}, or -1 when it is not a {@link BaseNDManager}. */
  public static int attached(NDManager manager) {
    return manager instanceof BaseNDManager b ? b.resources.size() + b.tempResources.size() : -1;
  }
}
