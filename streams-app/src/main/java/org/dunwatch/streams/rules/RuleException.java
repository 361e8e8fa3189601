package org.dunwatch.streams.rules;

/** A rule pack that cannot be used, with what is wrong in it. */
public class RuleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RuleException(String message) {
    super(message);
  }

  public RuleException(String message, Throwable cause) {
    super(message, cause);
  }
}
