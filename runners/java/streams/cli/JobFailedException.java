package streams.cli;

/** The job itself failed: printed as one line, exit code 1. */
public final class JobFailedException extends RuntimeException {
  public JobFailedException(String message) {
    super(message);
  }
}
