package streams.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A component of a record type ({@link RecordType}): its name in the JSON, in the Parquet file and in the
 * Kafka key, how its value is written, and whether it is part of the key that identifies the record.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Field {
  /** The field's name in the JSON object and the Parquet column. */
  String value();

  /** How the value is written; {@link RecordType.Kind#PLAIN} follows the Java type. */
  RecordType.Kind kind() default RecordType.Kind.PLAIN;

  /**
   * Part of the record's key: the fields that identify one row, in declaration order. The Kafka key is the
   * JSON object of these fields.
   */
  boolean key() default false;
}
