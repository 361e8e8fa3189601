package org.dunwatch.deploy;

/** A local broker or registry could not be installed, started, used or stopped. */
public class DeployException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeployException(String message) {
    super(message);
  }

  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
