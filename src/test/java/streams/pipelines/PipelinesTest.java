package streams.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import streams.generate.EventGenerator;

/** The registry every tool iterates over: each pipeline once, its model at the pipeline's own defaults. */
class PipelinesTest {
  @Test
  void everyPipelineOnceWithAModelAndAResultKey() {
    assertEquals(List.of("revenue", "completed", "fraud", "join"), Pipelines.names());
    for (PipelineDescriptor<?> p : Pipelines.all()) {
      assertTrue(p.hasModel(), p.name);
      assertFalse(p.resultKey.isEmpty(), p.name);
      assertFalse(p.summary.isBlank(), p.name);
    }
    assertTrue(Pipelines.named("fraud").needs(PipelineDescriptor.Requirement.EVENT_TIME_TIMERS));
    assertFalse(Pipelines.named("completed").needs(PipelineDescriptor.Requirement.EVENT_TIME_TIMERS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipelines.named("nope"));
    assertEquals("unknown pipeline 'nope'; allowed: revenue, completed, fraud, join", e.getMessage());
  }

  /** The light defaults (no options factory) answer what Beam's options factory answers. */
  @Test
  void defaultsAreBeamsDefaults() throws Exception {
    int checked = 0;
    for (PipelineDescriptor<?> p : Pipelines.all()) {
      Object beam = PipelineOptionsFactory.create().as(p.optionsClass);
      Object light = p.defaults();
      for (Method m : p.optionsClass.getMethods()) {
        boolean declaredDefault = false;
        for (var a : m.getAnnotations()) {
          declaredDefault |= a.annotationType().getEnclosingClass() == Default.class
              && !(a instanceof Default.InstanceFactory);
        }
        if (m.getParameterCount() == 0 && m.getName().startsWith("get") && declaredDefault) {
          assertEquals(m.invoke(beam), m.invoke(light), p.name + "." + m.getName());
          checked++;
        }
      }
    }
    assertTrue(checked >= 5, "defaults compared: " + checked);
  }

  @Test
  void theModelWithoutArgumentsIsTheModelAtTheDefaults() throws Exception {
    List<String> lines = new ArrayList<>();
    EventGenerator.builder().events(3_000).seed(7).build().forEach(lines::add);
    assertEquals(
        Pipelines.named("revenue").expected(lines, List.of("--window=PT1H")),
        Pipelines.named("revenue").expected(lines, List.of()));
    assertNotEquals(
        Pipelines.named("revenue").expected(lines, List.of("--window=PT1M")),
        Pipelines.named("revenue").expected(lines, List.of()));
    assertEquals(
        Pipelines.named("fraud").expected(lines, List.of("--fraudThreshold=5", "--fraudWindow=PT60S")),
        Pipelines.named("fraud").expected(lines, List.of()));
  }
}
