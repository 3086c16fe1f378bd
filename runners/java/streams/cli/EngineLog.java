package streams.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Where the engines' own log lines go during {@code scripts/run <pipeline>}: a log file, so that the console
 * shows the command line's lines only (what runs, progress, summary, where the results are). The engines
 * (Flink, Spark, Hadoop, Kafka clients, Beam, Jetty, Akka/Pekko) log through slf4j, log4j 1 (bridged),
 * commons-logging (bridged) and java.util.logging (bridged here); all of it reaches log4j2, whose console
 * appender ({@code runners/resources/log4j2.properties}) is replaced by a file appender. Text the engines
 * print straight to stderr goes to the same file. {@code --verbose} keeps the console appender (and stderr)
 * as well.
 *
 * <p>The file: {@code <folder holding the output folder>/logs/<pipeline>-<runner>-<yyyyMMdd-HHmmss>.log},
 * e.g. {@code output/logs/revenue-flink-20261202-014911.log} next to {@code output/revenue-flink}; outside the
 * output folder, which the next run rewrites. {@code --logDir} chooses the folder. The newest {@link #KEEP}
 * logs of a pipeline and runner are kept, older ones deleted. The level is {@code warn} (the system property
 * {@code streams.log.level} changes it).
 */
final class EngineLog {
  static final int KEEP = 10;
  private static final String APPENDER = "engine-log";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  /** The root logger's appenders that {@link #start} took away, given back by {@link #endRun}. */
  private static final List<Appender> removed = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The console's stderr once the engines' stderr goes to the log (null: not redirected). */
  private static volatile PrintStream consoleErr;

  private final Path file;
  private final PrintStream console;

  private EngineLog(Path file, PrintStream console) {
    this.file = file;
    this.console = console;
  }

  /** The log file (null when it could not be opened: then nothing is kept). */
  Path file() {
    return file;
  }

  /** The process's stderr as it was before the engines' text was sent to the log. */
  PrintStream console() {
    return console;
  }

  /** Where the command line's own messages to stderr go: the console, even when stderr goes to the log. */
  static PrintStream consoleErr() {
    PrintStream err = consoleErr;
    return err != null ? err : System.err;
  }

  /** Where the log of a run goes: {@code --logDir}, else {@code logs} next to the output folder. */
  static Path fileFor(String pipeline, Engines engine, String logDir, String outputDir) {
    Path dir;
    if (logDir != null && !logDir.isBlank()) {
      dir = Paths.get(logDir);
    } else if (outputDir != null && !outputDir.isBlank() && !outputDir.contains("://")) {
      Path parent = Paths.get(outputDir).toAbsolutePath().normalize().getParent();
      dir = (parent == null ? Paths.get("output") : parent).resolve("logs");
    } else {
      dir = Paths.get("output", "logs");
    }
    String name = pipeline + "-" + engine + "-" + LocalDateTime.now().format(STAMP) + ".log";
    return dir.toAbsolutePath().normalize().resolve(name);
  }

  /**
   * Sends every engine log line to {@code file} (and keeps the console as well when {@code verbose}). If
   * the file cannot be written, says so on stderr and leaves the console as it is.
   */
  static EngineLog start(Path file, boolean verbose) {
    PrintStream stderr = System.err;
    // java.util.logging (used by some libraries) into slf4j, then log4j2, like everything else.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    try {
      Files.createDirectories(file.getParent());
      prune(file);
    } catch (IOException | RuntimeException e) {
      stderr.println("note: cannot write the engine log " + file + " (" + e.getMessage() + "); engine lines stay on the console");
      return new EngineLog(null, stderr);
    }
    if (!(LogManager.getContext(false) instanceof LoggerContext)) {
      // Another logging back end on the class path: its own configuration applies.
      return new EngineLog(null, stderr);
    }
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    Appender appender =
        FileAppender.newBuilder()
            .setName(APPENDER)
            .withFileName(file.toString())
            .withAppend(true)
            // No file for a command line refused before its job starts.
            .withCreateOnDemand(true)
            .setLayout(
                PatternLayout.newBuilder()
                    .withConfiguration(config)
                    .withPattern("%d{HH:mm:ss.SSS} %-5p [%maxLen{%t}{40}] %c - %m%n")
                    .build())
            .setConfiguration(config)
            .build();
    appender.start();
    config.addAppender(appender);
    LoggerConfig root = config.getRootLogger();
    if (!verbose) {
      for (Appender a : List.copyOf(root.getAppenders().values())) {
        root.removeAppender(a.getName());
        removed.add(a);
      }
    }
    root.addAppender(appender, null, null);
    // The command line's own record of the run (its arguments; a failure's stack trace) at info.
    LoggerConfig own = new LoggerConfig(PipelineCommand.class.getName(), org.apache.logging.log4j.Level.INFO, true);
    config.addLogger(own.getName(), own);
    context.updateLoggers();
    if (!verbose) {
      // What the engines print to stderr themselves goes to the log as well; the command line's own
      // messages use console().
      Logger stderrLog = LogManager.getLogger("stderr");
      consoleErr = stderr;
      System.setErr(new PrintStream(loggingStream(stderrLog), true, StandardCharsets.UTF_8));
    }
    return new EngineLog(file, stderr);
  }

  /**
   * Undoes {@link #start} once a run is over, for a process that runs command lines one after another
   * ({@link ClientDaemon}): the run's file appender is removed and closed, {@code stderr} is set back to
   * {@code err} (engine lines between runs go there, and to the logging configuration's own appenders).
   */
  static void endRun(PrintStream err) {
    if (LogManager.getContext(false) instanceof LoggerContext) {
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      Configuration config = context.getConfiguration();
      LoggerConfig root = config.getRootLogger();
      root.removeAppender(APPENDER);
      for (Appender a : removed) {
        root.addAppender(a, null, null);
      }
      removed.clear();
      config.removeLogger(PipelineCommand.class.getName());
      Appender appender = config.getAppenders().get(APPENDER);
      if (appender != null) {
        config.getAppenders().remove(APPENDER);
        appender.stop();
      }
      context.updateLoggers();
    }
    consoleErr = null;
    System.setErr(err);
  }

  /** The full story of a failure, for the log (the console gets one line). */
  void failure(String summary, Throwable e) {
    LogManager.getLogger(PipelineCommand.class).error(summary, e);
  }

  /** Keeps the newest {@code KEEP - 1} logs of this pipeline and runner, so that with this one there are KEEP. */
  private static void prune(Path file) throws IOException {
    String name = file.getFileName().toString();
    String prefix = name.substring(0, name.lastIndexOf('-', name.lastIndexOf('-') - 1) + 1);
    List<Path> old;
    try (Stream<Path> files = Files.list(file.getParent())) {
      old =
          files
              .filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".log") && n.substring(prefix.length()).matches("\\d{8}-\\d{6}\\.log");
              })
              .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
              .collect(Collectors.toList());
    }
    for (Path p : old.subList(Math.min(old.size(), KEEP - 1), old.size())) {
      Files.deleteIfExists(p);
    }
  }

  /** Text written to it becomes log lines (one event a line, blank lines left out) of {@code logger}. */
  static OutputStream loggingStream(Logger logger) {
    return new LineStream(text -> {
      if (!text.isBlank()) {
        logger.warn(text);
      }
    });
  }
}
