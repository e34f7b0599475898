package dev.alignloop.broker;

/** The embedded broker could not be formatted, started, stopped or given its topics. */
public class BrokerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** With the underlying error. */
  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Without an underlying error. */
  public BrokerException(String message) {
    super(message);
  }
}
