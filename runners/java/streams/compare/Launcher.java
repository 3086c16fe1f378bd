package streams.compare;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import streams.cli.EngineJvmFlags;

/**
 * How a run's JVM is started. {@code jar}: {@code java <flags> -jar portable-streams.jar ...}, exactly as
 * {@code scripts/run} does. {@code classpath}: {@code java <flags> -cp <this JVM's class path>
 * streams.cli.Cli ...}, for tests, which run before the jar is packaged. {@code auto}: the jar when this
 * code runs from one, else the class path.
 *
 * <p>The flags are this JVM's own (heap, GC, {@code --add-opens}): {@code scripts/compare} starts it with
 * the flags of {@code scripts/run}, so each run gets the same JVM a user gets.
 */
final class Launcher {
  static final String CLI_CLASS = "streams.cli.Cli";

  final String kind;
  final Path jar;
  final List<String> jvmFlags;

  private Launcher(String kind, Path jar, List<String> jvmFlags) {
    this.kind = kind;
    this.jar = jar;
    this.jvmFlags = jvmFlags;
  }

  static Launcher of(String kind) {
    String k = kind.toLowerCase(Locale.ROOT);
    Path ownJar = ownJar();
    switch (k) {
      case "auto":
        return ownJar != null ? new Launcher("jar", ownJar, inheritedFlags()) : new Launcher("classpath", null, inheritedFlags());
      case "jar":
        if (ownJar == null) {
          throw new IllegalArgumentException(
              "--launcher=jar needs this command to run from the shaded jar (scripts/compare does); use"
                  + " --launcher=classpath");
        }
        return new Launcher("jar", ownJar, inheritedFlags());
      case "classpath":
        return new Launcher("classpath", null, inheritedFlags());
      default:
        throw new IllegalArgumentException("--launcher=" + kind + " is not a launcher; allowed: auto, jar, classpath");
    }
  }

  static Path javaBinary() {
    return Paths.get(System.getProperty("java.home"), "bin", "java");
  }

  /** The command that runs the command line ({@code scripts/run}'s arguments) in a new JVM. */
  List<String> command(List<String> cliArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary().toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(EngineJvmFlags.forRun(jvmFlags, cliArgs)); // heap and JIT as scripts/run gives them
    if (jar != null) {
      cmd.add("-jar");
      cmd.add(jar.toString());
    } else {
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(CLI_CLASS);
    }
    cmd.addAll(cliArgs);
    return cmd;
  }

  /** The command as recorded in the report: the class path (long) is named, not spelled out. */
  List<String> shown(List<String> command) {
    List<String> out = new ArrayList<>(command);
    int cp = out.indexOf("-cp");
    if (jar == null && cp >= 0 && cp + 1 < out.size()) {
      out.set(cp + 1, "<class path: jvm.class_path in results.json>");
    }
    return out;
  }

  String describe() {
    return jar != null ? "java <flags> -jar " + jar : "java <flags> -cp <class path> " + CLI_CLASS;
  }

  /** The jar this class was loaded from, or null (classes folder). */
  private static Path ownJar() {
    try {
      Path p = Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p : null;
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return null;
    }
  }

  /**
   * This JVM's heap, GC and module flags. Agents, debugger and system properties are not passed on: they
   * belong to this process (a test runner, an IDE), not to the measured job.
   */
  static List<String> inheritedFlags() {
    List<String> flags = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if ((a.startsWith("-X") && !a.startsWith("-Xrunjdwp") && !a.startsWith("-Xdebug"))
          || a.startsWith("--add-opens")
          || a.startsWith("--add-exports")) {
        flags.add(a);
      }
    }
    return flags;
  }
}
