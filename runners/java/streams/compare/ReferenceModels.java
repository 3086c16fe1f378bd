package streams.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;
import streams.reference.CompletedModel;
import streams.reference.FraudModel;
import streams.reference.JoinModel;
import streams.reference.RevenueModel;
import streams.pipelines.FraudPipeline;
import streams.pipelines.JoinPipeline;
import streams.pipelines.RevenuePipeline;
import streams.transforms.Durations;

/**
 * The extension point of correctness checks: pipeline name → reference model. A model computes, from the
 * input lines and the pipeline's options (the same values the run used), the exact result lines the
 * pipeline must write. The models are plain Java in {@code pipelines/streams/reference}; a pipeline without an
 * entry here is still measured, its correctness reported as "no model".
 *
 * <p>To add a pipeline: {@code register(name, keyFields, (lines, options) -> XModel.expected(lines,
 * ...options.as(XPipeline.Options.class)...))}.
 */
final class ReferenceModels {
  /** A reference model bound to its pipeline's options. */
  interface Model {
    List<String> expected(List<String> lines, PipelineOptions options);
  }

  /** A registered model and the JSON fields that identify one of its results. */
  static final class Entry {
    final String pipeline;
    final List<String> keyFields;
    final Model model;

    Entry(String pipeline, List<String> keyFields, Model model) {
      this.pipeline = pipeline;
      this.keyFields = keyFields;
      this.model = model;
    }
  }

  private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

  static {
    register(
        "revenue",
        List.of("user_id", "window_start", "pane_index"),
        (lines, options) ->
            RevenueModel.expected(
                lines,
                Durations.parsePositive("window", options.as(RevenuePipeline.Options.class).getWindow())
                    .getMillis()));
    register("completed", List.of("order_id"), (lines, options) -> CompletedModel.expected(lines));
    register(
        "fraud",
        List.of("account_id", "tx_id"),
        (lines, options) -> {
          FraudPipeline.Options o = options.as(FraudPipeline.Options.class);
          return FraudModel.expected(
              lines,
              o.getFraudThreshold(),
              Durations.parsePositive("fraudWindow", o.getFraudWindow()).getMillis());
        });
    register(
        "join",
        List.of("order_id", "payment_id"),
        (lines, options) -> {
          JoinPipeline.Options o = options.as(JoinPipeline.Options.class);
          return JoinModel.expected(
              lines,
              Durations.parse("joinLowerBound", o.getJoinLowerBound()).getMillis(),
              Durations.parse("joinUpperBound", o.getJoinUpperBound()).getMillis());
        });
  }

  private ReferenceModels() {}

  private static void register(String pipeline, List<String> keyFields, Model model) {
    MODELS.put(pipeline, new Entry(pipeline, keyFields, model));
  }

  static Optional<Entry> forPipeline(String pipeline) {
    return Optional.ofNullable(MODELS.get(pipeline));
  }

  /** Lines the parser rejects: every pipeline sends exactly these to its dead-letter output. */
  static long deadLetters(List<String> lines) {
    return RevenueModel.deadLetters(lines);
  }
}
