package streams.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An input event's {@code "type"}: the JSON form of the record starts with {@code "type":"<value>"}, as in
 * the input contract, so that it can be read in again as is.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {
  String value();
}
