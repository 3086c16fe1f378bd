package streams.compare;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How the runs' JVMs were started: the flags they inherit, the maximum heap those give, how the command
 * line is launched, how CPU and memory are measured, and the class path when not a jar.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY)
@JsonInclude(JsonInclude.Include.NON_NULL)
record JvmFacts(List<String> flags, Long maxHeapBytes, String launcher, String resourceMeasure, String classPath) {}
