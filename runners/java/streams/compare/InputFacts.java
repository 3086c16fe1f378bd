package streams.compare;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

/** The comparison's one input: how it was generated and which bytes it is. */
@JsonAutoDetect(fieldVisibility = Visibility.ANY)
record InputFacts(long events, long seed, String generator, long bytes, String sha256) {}
