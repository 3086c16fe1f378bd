package streams.io;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import streams.model.DeadLetter;

/**
 * What a pipeline's business graph produces: typed results and the dead letters of its input. Tests
 * assert on the typed results; {@link #writeTo} formats both as JSON Lines.
 */
public final class Results<T> implements POutput {
  private static final TupleTag<Object> RESULTS = new TupleTag<>("results");
  private static final TupleTag<Object> DEAD_LETTERS = new TupleTag<>("dead-letters");

  private final PCollection<T> results;
  private final PCollection<DeadLetter> deadLetters;
  private final SerializableFunction<T, String> toJson;

  private Results(
      PCollection<T> results, PCollection<DeadLetter> deadLetters, SerializableFunction<T, String> toJson) {
    this.results = results;
    this.deadLetters = deadLetters;
    this.toJson = toJson;
  }

  public static <T> Results<T> of(
      PCollection<T> results, PCollection<DeadLetter> deadLetters, SerializableFunction<T, String> toJson) {
    return new Results<>(results, deadLetters, toJson);
  }

  public PCollection<T> results() {
    return results;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  public PCollection<String> resultsAsJson() {
    return results.apply("ResultsToJson", MapElements.into(TypeDescriptors.strings()).via(toJson));
  }

  public PCollection<String> deadLettersAsJson() {
    return deadLetters.apply(
        "DeadLettersToJson", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson));
  }

  /** Writes results to {@code DIR/results-*.jsonl} and dead letters to {@code DIR/dead-letter/}. */
  public void writeTo(String directory) {
    resultsAsJson().apply("WriteResults", WriteJsonLines.to(directory, OutputDirs.RESULTS_PREFIX));
    deadLettersAsJson()
        .apply("WriteDeadLetters", WriteJsonLines.to(OutputDirs.deadLetterDir(directory), OutputDirs.DEAD_LETTER_PREFIX));
  }

  @Override
  public Pipeline getPipeline() {
    return results.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(RESULTS, results, DEAD_LETTERS, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
