package io.provisioninghub.registry.error;

/** A failure the admin API answers with a 4xx (or 503) problem body; never a bug. */
public class RegistryException extends RuntimeException {

  private final int status;
  private final String type;

  public RegistryException(int status, String detail) {
    this(status, null, detail);
  }

  /**
   * A failure whose problem body names its kind: {@code type} is the name after {@link
   * Problem#TYPE_PREFIX}, e.g. {@code setup-link-expired}.
   */
  public RegistryException(int status, String type, String detail) {
    super(detail);
    this.status = status;
    this.type = type == null ? null : Problem.TYPE_PREFIX + type;
  }

  public int status() {
    return status;
  }

  /** The problem's {@code type} URI, or null for the answers that carry none. */
  public String type() {
    return type;
  }

  public static RegistryException badRequest(String detail) {
    return new RegistryException(400, detail);
  }

  public static RegistryException notFound(String detail) {
    return new RegistryException(404, detail);
  }

  public static RegistryException conflict(String detail) {
    return new RegistryException(409, detail);
  }

  public static RegistryException unavailable(String detail) {
    return new RegistryException(503, detail);
  }
}
