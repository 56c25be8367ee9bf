package io.provisioninghub.registry.error;

/** A failure the admin API answers with a 4xx (or 503) problem body; never a bug. */
public class RegistryException extends RuntimeException {

  private final int status;

  public RegistryException(int status, String detail) {
    super(detail);
    this.status = status;
  }

  public int status() {
    return status;
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
