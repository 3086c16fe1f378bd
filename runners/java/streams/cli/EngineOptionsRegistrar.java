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
 * largest (Flink's about 60 options). Leaving out the two engines a run does not use measured 0.3 s less
 * for a 1 000-event run on Flink and on Spark (docs/performance.md, change 14). A flag of another engine
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
