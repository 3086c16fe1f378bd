package streams.pipelines;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Everything the command line, the comparison, the bench and the tests know about one pipeline: its name
 * and summary, its options, the builder that reads, computes and writes, the plain-Java reference model of
 * its answer, the JSON fields that identify one result, what it needs of a runner, and how a streaming run
 * measures its latency. Registered once in {@link Pipelines}.
 */
public final class PipelineDescriptor<O extends StreamsOptions> {
  /** What a pipeline needs of a runner beyond the Beam model every runner implements. */
  public enum Requirement {
    /** Event-time timers in a stateful DoFn, which some runners cannot fire in streaming mode. */
    EVENT_TIME_TIMERS,
    /**
     * A window the watermark has closed stays closed: data later than the allowed lateness is dropped,
     * never emitted as a new pane of a closed window. A watermark that lags the data it closes (one
     * micro-batch, in some streaming runners) breaks it; an accumulating complete-output trigger does not
     * need it.
     */
    CLOSED_WINDOWS_STAY_CLOSED
  }

  /** The requirements of a run, decided from its options (a trigger, a lateness) as well as the pipeline. */
  @FunctionalInterface
  public interface Requirements<O> {
    Set<Requirement> of(O options);
  }

  /** The reference model: from the input lines and the options a run used, the exact result lines. */
  @FunctionalInterface
  public interface ReferenceModel<O> {
    List<String> expected(List<String> lines, O options);
  }

  public final String name;
  public final String summary;
  public final Class<O> optionsClass;
  private final BiConsumer<Pipeline, O> builder;
  private final ReferenceModel<O> model;
  /** The JSON fields that identify one result line (a result's key when outputs are compared). */
  public final List<String> resultKey;
  private final Requirements<O> requirements;
  /** How a streaming run through Kafka measures latency and reads the final answer. */
  public final StreamingProbe streaming;

  private PipelineDescriptor(
      String name,
      String summary,
      Class<O> optionsClass,
      BiConsumer<Pipeline, O> builder,
      ReferenceModel<O> model,
      List<String> resultKey,
      Requirements<O> requirements,
      StreamingProbe streaming) {
    this.name = Objects.requireNonNull(name);
    this.summary = Objects.requireNonNull(summary);
    this.optionsClass = Objects.requireNonNull(optionsClass);
    this.builder = Objects.requireNonNull(builder);
    this.model = model;
    this.resultKey = List.copyOf(resultKey);
    this.requirements = Objects.requireNonNull(requirements);
    this.streaming = Objects.requireNonNull(streaming);
  }

  /** A pipeline with no model, no requirement and no latency probe yet: add them with the methods below. */
  public static <O extends StreamsOptions> PipelineDescriptor<O> of(
      String name, String summary, Class<O> optionsClass, BiConsumer<Pipeline, O> builder) {
    return new PipelineDescriptor<>(
        name, summary, optionsClass, builder, null, List.of(), o -> Set.of(), StreamingProbe.NOT_MEASURED);
  }

  /** With its reference model, and the JSON fields that identify one of its results. */
  public PipelineDescriptor<O> model(List<String> resultKey, ReferenceModel<O> model) {
    return new PipelineDescriptor<>(name, summary, optionsClass, builder, model, resultKey, requirements, streaming);
  }

  /** With requirements that hold whatever the options. */
  public PipelineDescriptor<O> requires(Requirement... needs) {
    Set<Requirement> always = Set.of(needs);
    return requires(o -> always);
  }

  /** With requirements that depend on the options of the run. */
  public PipelineDescriptor<O> requires(Requirements<O> needs) {
    return new PipelineDescriptor<>(name, summary, optionsClass, builder, model, resultKey, needs, streaming);
  }

  public PipelineDescriptor<O> streaming(StreamingProbe probe) {
    return new PipelineDescriptor<>(name, summary, optionsClass, builder, model, resultKey, requirements, probe);
  }

  /** Whether a run with {@code options} needs {@code requirement} of its runner. */
  public boolean needs(Requirement requirement, PipelineOptions options) {
    return requirements.of(options.as(optionsClass)).contains(requirement);
  }

  /** Whether a run with the pipeline's default options needs {@code requirement}. */
  public boolean needs(Requirement requirement) {
    return requirements.of(defaults()).contains(requirement);
  }

  /** Adds the pipeline's transforms to {@code pipeline}, configured by {@code options}. */
  public void build(Pipeline pipeline, PipelineOptions options) {
    builder.accept(pipeline, options.as(optionsClass));
  }

  public boolean hasModel() {
    return model != null;
  }

  /**
   * The model's answer for options given as command-line arguments (the pipeline's defaults otherwise).
   * Without arguments the options are {@link #defaults()}: a plain-Java run of the model (scripts/bench's
   * yardstick) then loads nothing of Beam's options machinery.
   */
  public Optional<List<String>> expected(List<String> lines, List<String> args) {
    if (model == null) {
      return Optional.empty();
    }
    O options =
        args.isEmpty()
            ? defaults()
            : PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(optionsClass);
    return Optional.of(model.expected(lines, options));
  }

  /**
   * The pipeline's options at their declared defaults ({@code @Default.*} on the getters, else null, 0 or
   * false), read from the annotations alone; setters and other methods are refused.
   */
  public O defaults() {
    return optionsClass.cast(
        Proxy.newProxyInstance(
            optionsClass.getClassLoader(),
            new Class<?>[] {optionsClass},
            (proxy, method, methodArgs) -> {
              if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                  case "toString":
                    return name + " defaults";
                  case "hashCode":
                    return System.identityHashCode(proxy);
                  default:
                    return proxy == methodArgs[0];
                }
              }
              if (method.getParameterCount() != 0 || !method.getName().matches("(get|is)[A-Z].*")) {
                throw new UnsupportedOperationException(method.getName() + " on the defaults of " + name);
              }
              return defaultValue(method);
            }));
  }

  private static Object defaultValue(Method getter) {
    for (Annotation a : getter.getAnnotations()) {
      if (a instanceof Default.String d) {
        return d.value();
      } else if (a instanceof Default.Integer d) {
        return d.value();
      } else if (a instanceof Default.Long d) {
        return d.value();
      } else if (a instanceof Default.Boolean d) {
        return d.value();
      } else if (a instanceof Default.Double d) {
        return d.value();
      } else if (a instanceof Default.Float d) {
        return d.value();
      } else if (a instanceof Default.Short d) {
        return d.value();
      } else if (a instanceof Default.Byte d) {
        return d.value();
      } else if (a instanceof Default.Character d) {
        return d.value();
      } else if (a instanceof Default.Enum d) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object e = java.lang.Enum.valueOf((Class) getter.getReturnType(), d.value());
        return e;
      } else if (a.annotationType().getEnclosingClass() == Default.class) {
        throw new UnsupportedOperationException(
            getter.getName() + ": a @" + a.annotationType().getSimpleName() + " default is not read here");
      }
    }
    Class<?> t = getter.getReturnType();
    if (!t.isPrimitive()) {
      return null;
    }
    if (t == boolean.class) {
      return false;
    }
    if (t == char.class) {
      return '\0';
    }
    return t == long.class ? (Object) 0L : t == double.class ? (Object) 0.0 : t == float.class ? (Object) 0f
        : t == short.class ? (Object) (short) 0 : t == byte.class ? (Object) (byte) 0 : (Object) 0;
  }

  @Override
  public String toString() {
    return name;
  }
}
