package streams.cli;

/** A mistake on the command line: printed as one line, exit code 2. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
