package streams.cli;

/** The job itself failed: printed as one line, exit code 1 (the cause's stack trace goes to the engine log). */
public final class JobFailedException extends RuntimeException {
  public JobFailedException(String message) {
    super(message);
  }

  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
