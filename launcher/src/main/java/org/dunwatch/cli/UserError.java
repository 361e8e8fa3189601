package org.dunwatch.cli;

/** Something the user can fix (a flag, a file, a setting): printed as is, exit code 2. */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
