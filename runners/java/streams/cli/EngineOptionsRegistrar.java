package streams.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectRegistrar;
import org.apache.beam.runners.flink.FlinkRunnerRegistrar;
import org.apache.beam.runners.spark.SparkRunnerRegistrar;
import org.apache.beam.sdk.options.DefaultPipelineOptionsRegistrar;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import streams.pipelines.Pipelines;

/**
 * The options interfaces the fat jar registers with Beam (runners/shade names this class in place of Beam's
 * registrars): Beam's core options and the runner options of the engines this JVM can run. A JVM started
 * for one pipeline run ({@code java -jar portable-streams.jar <pipeline> [--runner=R] ...}, what
 * {@code scripts/run} starts) registers its engine's options only; every other JVM (help, the other
 * commands, the resident cluster client, the tests) registers those of every engine.
 *
 * <p>Why: Beam's {@code PipelineOptionsFactory} validates each registered interface against all those
 * before it as it starts, a proxy class of them all each time, and the engines' own interfaces are the
 * largest (Flink's about 60 options). Leaving out the two engines a run does not use: a 1 000-event run took
 * 4.59 s instead of 5.07 s on Flink, 4.69 s instead of 4.90 s on Spark (medians of 5 alternating rounds,
 * docs/performance.md, change 14). A flag of another engine
 * is then refused, by name ({@link Flags#describeOptionError(String, List)}).
 */
public final class EngineOptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return optionsOf(enginesOf(System.getProperty("sun.java.command", "")));
  }

  /**
   * The engines a JVM can run, from its command ({@code sun.java.command}: the jar or main class, then the
   * arguments): the one of a pipeline run of the command line, every engine otherwise.
   */
  static Set<Engines> enginesOf(String javaCommand) {
    List<String> words = Arrays.asList(javaCommand.trim().split("\\s+"));
    boolean commandLine =
        words.size() >= 2
            && (words.get(0).endsWith("portable-streams.jar") || words.get(0).equals(Cli.class.getName()));
    if (!commandLine || Pipelines.find(words.get(1)).isEmpty()) {
      return EnumSet.allOf(Engines.class);
    }
    try {
      return EnumSet.of(Engines.fromArgs(words.subList(2, words.size())));
    } catch (UsageException e) {
      return EnumSet.allOf(Engines.class); // the command line says what is wrong with --runner
    }
  }

  static List<Class<? extends PipelineOptions>> optionsOf(Set<Engines> engines) {
    List<Class<? extends PipelineOptions>> out = new ArrayList<>();
    new DefaultPipelineOptionsRegistrar().getPipelineOptions().forEach(out::add);
    for (Engines engine : engines) {
      engineRegistrar(engine).getPipelineOptions().forEach(out::add);
    }
    return out;
  }

  /**
   * The arguments a run on that engine takes of {@code args}: all but the options of the other engines only
   * (an extra engine option that {@code scripts/compare --runnerArg} or {@code scripts/bench --beamArg} gives
   * every run goes to the runs of its engine).
   */
  public static List<String> keepOwn(List<String> args, Engines engine) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      String name = a.startsWith("--") ? a.substring(2).split("=", 2)[0] : "";
      if (name.isEmpty() || isOptionOf(engine, name) || !isEngineOption(name)) {
        out.add(a);
      }
    }
    return out;
  }

  /** True when one of the engine's own options interfaces has that option. */
  public static boolean isOptionOf(Engines engine, String option) {
    return hasOption(engineRegistrar(engine), option);
  }

  /** True when an engine's options have that option and Beam's core options do not. */
  static boolean isEngineOption(String option) {
    if (option.isEmpty() || hasOption(new DefaultPipelineOptionsRegistrar(), option)) {
      return false;
    }
    for (Engines engine : Engines.values()) {
      if (isOptionOf(engine, option)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasOption(PipelineOptionsRegistrar registrar, String option) {
    String property = Character.toUpperCase(option.charAt(0)) + option.substring(1);
    for (Class<?> c : registrar.getPipelineOptions()) {
      for (java.lang.reflect.Method m : c.getMethods()) {
        if (m.getParameterCount() == 0
            && (m.getName().equals("get" + property) || m.getName().equals("is" + property))) {
          return true;
        }
      }
    }
    return false;
  }

  static PipelineOptionsRegistrar engineRegistrar(Engines engine) {
    switch (engine) {
      case FLINK:
        return new FlinkRunnerRegistrar.Options();
      case SPARK:
        return new SparkRunnerRegistrar.Options();
      default:
        return new DirectRegistrar.Options();
    }
  }
}
