package org.dunwatch.producers.privacy;

/** No usable pseudonym key. The message says what to set; it never contains the key. */
public final class PseudonymKeyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PseudonymKeyException(String message) {
    super(message);
  }

  public PseudonymKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
