package streams.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The project's scripts ({@code scripts/kafka}, {@code scripts/cluster}, ...) run from tests, as a user runs them. */
public final class Scripts {
  /** The project's folder: where Maven runs the tests. */
  public static final Path ROOT = Paths.get("").toAbsolutePath();

  private Scripts() {}

  /** How a command ended: its exit code (-1 when it was stopped at its time limit) and its merged output. */
  public static final class Result {
    public final int code;
    public final String output;

    Result(int code, String output) {
      this.code = code;
      this.output = output;
    }
  }

  /** Runs {@code command} in the project's folder. */
  public static Result run(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
    return run(timeoutSeconds, Map.of(), command);
  }

  /**
   * Runs {@code command} in the project's folder with {@code env} added to the environment, stdout and stderr
   * merged; a command still running after {@code timeoutSeconds} is killed and gets code -1.
   */
  public static Result run(long timeoutSeconds, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("script-", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command + "\n" + read(log));
      }
      return new Result(p.exitValue(), read(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
