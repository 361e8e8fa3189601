package org.dunwatch.registry;

/** The registry could not be reached, or it refused a request. */
public class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    this(message, -1, -1, cause);
  }

  /** HTTP status, or -1 when the registry could not be reached. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's own error code (409 incompatible, 40403 schema not found, ...), or -1. */
  public int errorCode() {
    return errorCode;
  }

  /** True when the registry refused the schema as incompatible with the subject's versions. */
  public boolean isIncompatible() {
    return httpStatus == 409 || errorCode == 409;
  }
}
