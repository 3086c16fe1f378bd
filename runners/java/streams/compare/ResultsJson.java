package streams.compare;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import streams.harness.RunOrder;

/** {@code results.json}: every raw figure, the command, the machine, the versions and the settings. */
final class ResultsJson {
  private ResultsJson() {}


  static void write(Comparison c, Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("tool", "scripts/compare");
    root.put("command", c.settings.commandLine);
    root.put("working_directory", Path.of("").toAbsolutePath().toString());
    root.put("started", c.started.toString());
    root.put("finished", c.finished.toString());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("pipelines", c.settings.pipelines.stream().map(t -> t.name).collect(Collectors.toList()));
    settings.put("runners", c.settings.runners.stream().map(Object::toString).collect(Collectors.toList()));
    settings.put("modes", c.settings.modes);
    settings.put("events", c.settings.events);
    settings.put("seed", c.settings.seed);
    settings.put("streaming_rate_events_per_second", c.settings.rate);
    settings.put("streaming_broker", c.settings.bootstrapServers == null ? "own (scripts/kafka)" : c.settings.bootstrapServers);
    settings.put("repeat", c.settings.repeat);
    settings.put("out", c.settings.out.toAbsolutePath().toString());
    settings.put("baseline", c.settings.baseline == null ? null : c.settings.baseline.toString());
    settings.put("conformance", c.settings.conformance);
    settings.put("launcher", c.settings.launcher);
    settings.put("runner_args", c.settings.runnerArgs);
    settings.put("run_order", RunOrder.DESCRIPTION);
    root.put("settings", settings);
    root.put("input", c.input);
    @SuppressWarnings("unchecked")
    Map<String, Object> machine = new LinkedHashMap<>(mapper().convertValue(c.machine, Map.class));
    machine.put("load_average_start", c.loadAverageStart);
    machine.put("load_average_end", c.loadAverageEnd);
    root.put("machine", machine);
    root.put("versions", c.versions);
    root.put("jvm", c.jvm);
    root.put("engine_settings", c.engineSettings);
    root.put("summary", c.summaries);
    root.put("runs", c.runs);
    root.put("skipped", c.skipped);
    Map<String, Object> conformance = new LinkedHashMap<>();
    conformance.put("source", c.conformance.source);
    conformance.put("verdicts", c.conformance.verdicts);
    root.put("conformance", conformance);
    if (c.baseline != null) {
      Map<String, Object> base = new LinkedHashMap<>();
      base.put("report", c.settings.baseline.toString());
      base.put("ratios_new_over_old", c.baseline);
      root.put("baseline", base);
    }
    mapper().writeValue(file.toFile(), root);
  }

  static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    m.setVisibility(PropertyAccessor.ALL, Visibility.NONE);
    m.setVisibility(PropertyAccessor.FIELD, Visibility.PUBLIC_ONLY);
    m.enable(SerializationFeature.INDENT_OUTPUT);
    return m;
  }
}
