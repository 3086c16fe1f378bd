package streams.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A descriptor's light defaults for every kind of {@code @Default} a pipeline's options may declare (the
 * registered pipelines use strings, booleans and integers only), and requirements that depend on options.
 */
class PipelineDescriptorTest {
  public enum Mode {
    FAST,
    EXACT
  }

  /** Options of a pipeline that uses every kind of default. */
  public interface EveryDefault extends StreamsOptions {
    @Default.Double(2.5)
    double getRatio();

    void setRatio(double value);

    @Default.Float(1.5f)
    float getWeight();

    void setWeight(float value);

    @Default.Short(7)
    short getShortValue();

    void setShortValue(short value);

    @Default.Byte(3)
    byte getByteValue();

    void setByteValue(byte value);

    @Default.Character('x')
    char getLetter();

    void setLetter(char value);

    @Default.Enum("EXACT")
    Mode getMode();

    void setMode(Mode value);

    @Default.Long(42L)
    long getLimit();

    void setLimit(long value);

    long getNoDefaultLong();

    void setNoDefaultLong(long value);

    boolean isNoDefaultFlag();

    void setNoDefaultFlag(boolean value);

    char getNoDefaultChar();

    void setNoDefaultChar(char value);

    double getNoDefaultDouble();

    void setNoDefaultDouble(double value);

    Duration getNoDefaultObject();

    void setNoDefaultObject(Duration value);
  }

  private static final PipelineDescriptor<EveryDefault> PROBE =
      PipelineDescriptor.of("probe", "every kind of default", EveryDefault.class, (p, o) -> {})
          .requires(o -> o.getMode() == Mode.EXACT ? Set.of(PipelineDescriptor.Requirement.EVENT_TIME_TIMERS) : Set.of());

  @Test
  void lightDefaultsAnswerAsBeamsOptionsFactory() throws Exception {
    EveryDefault light = PROBE.defaults();
    EveryDefault beam = PipelineOptionsFactory.create().as(EveryDefault.class);
    int checked = 0;
    for (Method m : EveryDefault.class.getDeclaredMethods()) {
      if (m.getParameterCount() == 0) {
        assertEquals(m.invoke(beam), m.invoke(light), m.getName());
        checked++;
      }
    }
    assertEquals(12, checked);
    assertEquals("probe defaults", light.toString());
    assertEquals(light, light);
    assertNotEquals(light, PROBE.defaults());
    assertEquals(System.identityHashCode(light), light.hashCode());
    assertThrows(UnsupportedOperationException.class, () -> light.setRatio(1.0));
    assertFalse(PROBE.hasModel());
    assertEquals("probe", PROBE.toString());
  }

  @Test
  void requirementsFollowTheOptions() {
    assertTrue(PROBE.needs(PipelineDescriptor.Requirement.EVENT_TIME_TIMERS));
    EveryDefault fast = PipelineOptionsFactory.fromArgs("--mode=FAST").as(EveryDefault.class);
    assertFalse(PROBE.needs(PipelineDescriptor.Requirement.EVENT_TIME_TIMERS, fast));
    assertTrue(PROBE.expected(List.of("x"), List.of()).isEmpty(), "no model, no expected answer");
  }
}
