package streams.pipelines;

import static streams.pipelines.PipelineDescriptor.Requirement.EVENT_TIME_TIMERS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import streams.reference.CompletedModel;
import streams.reference.FraudModel;
import streams.reference.JoinModel;
import streams.reference.RevenueModel;
import streams.transforms.Durations;

/**
 * The pipelines of the project, each registered once: the command line runs them by name, the comparison
 * and the bench measure them and check them against their models, the tests iterate over them. A new
 * pipeline is its class, its reference model, its tests and one {@code register} call here.
 */
public final class Pipelines {
  private static final Map<String, PipelineDescriptor<?>> BY_NAME = new LinkedHashMap<>();

  static {
    register(
        PipelineDescriptor.of(
                "revenue",
                "per user and event-time window: order count and exact total",
                RevenuePipeline.Options.class,
                RevenuePipeline::build)
            .model(
                List.of("user_id", "window_start", "pane_index"),
                (lines, o) ->
                    RevenueModel.expected(lines, Durations.parsePositive("window", o.getWindow()).getMillis()))
            .requires(RevenuePipeline::requirements)
            .streaming(LatencyProbes.REVENUE));
    register(
        PipelineDescriptor.of(
                "completed",
                "completed orders as order metrics (filter + map)",
                CompletedPipeline.Options.class,
                CompletedPipeline::build)
            .model(List.of("order_id"), (lines, o) -> CompletedModel.expected(lines))
            .streaming(LatencyProbes.COMPLETED));
    register(
        PipelineDescriptor.of(
                "fraud",
                "per account: alerts on the 5th and later transactions of a 60 s burst",
                FraudPipeline.Options.class,
                FraudPipeline::build)
            .model(
                List.of("account_id", "tx_id"),
                (lines, o) ->
                    FraudModel.expected(
                        lines,
                        o.getFraudThreshold(),
                        Durations.parsePositive("fraudWindow", o.getFraudWindow()).getMillis()))
            .requires(EVENT_TIME_TIMERS));
    register(
        PipelineDescriptor.of(
                "join",
                "orders joined with payments paid within [-10 s, +5 min] of the order",
                JoinPipeline.Options.class,
                JoinPipeline::build)
            .model(
                List.of("order_id", "payment_id"),
                (lines, o) ->
                    JoinModel.expected(
                        lines,
                        Durations.parse("joinLowerBound", o.getJoinLowerBound()).getMillis(),
                        Durations.parse("joinUpperBound", o.getJoinUpperBound()).getMillis()))
            .requires(EVENT_TIME_TIMERS));
  }

  private Pipelines() {}

  private static void register(PipelineDescriptor<?> descriptor) {
    if (BY_NAME.putIfAbsent(descriptor.name, descriptor) != null) {
      throw new IllegalStateException("pipeline " + descriptor.name + " registered twice");
    }
  }

  /** Every pipeline, in registration order. */
  public static List<PipelineDescriptor<?>> all() {
    return Collections.unmodifiableList(new ArrayList<>(BY_NAME.values()));
  }

  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  public static Optional<PipelineDescriptor<?>> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The pipeline of that name; an {@link IllegalArgumentException} naming the allowed ones otherwise. */
  public static PipelineDescriptor<?> named(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown pipeline '" + name + "'; allowed: " + String.join(", ", names())));
  }

  /** Lines the parser rejects: every pipeline sends exactly these to its dead-letter output. */
  public static long deadLetters(List<String> lines) {
    return RevenueModel.deadLetters(lines);
  }
}
