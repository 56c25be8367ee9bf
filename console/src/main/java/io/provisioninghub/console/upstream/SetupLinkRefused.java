package io.provisioninghub.console.upstream;

/** The registry would not redeem the setup link; {@link #refusal()} says why. */
public class SetupLinkRefused extends RuntimeException {

  private final SetupLinkRefusal refusal;

  public SetupLinkRefused(SetupLinkRefusal refusal) {
    super("setup link refused: " + refusal);
    this.refusal = refusal;
  }

  public SetupLinkRefusal refusal() {
    return refusal;
  }
}
