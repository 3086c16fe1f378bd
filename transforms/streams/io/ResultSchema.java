package streams.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import streams.model.Json;

/**
 * The columns of a JSON record type, for the sinks: which fields key it in Kafka, and its Parquet (Avro)
 * schema. Column types are chosen so that any Parquet reader understands them and money stays exact:
 *
 * <ul>
 *   <li>{@link Type#STRING}: {@code string} (Parquet BINARY, UTF8);
 *   <li>{@link Type#LONG}: {@code long} (INT64); {@link Type#BOOLEAN}: {@code boolean};
 *   <li>{@link Type#MONEY}: Avro {@code bytes} with logical type {@code decimal(18,2)} (Parquet BINARY
 *       annotated DECIMAL(18,2)): exact cents, read as a decimal by DuckDB, pyarrow, Trino and other Parquet readers, and
 *       summed without rounding;
 *   <li>{@link Type#TIMESTAMP}: {@code long} with logical type {@code timestamp-millis} (Parquet INT64
 *       TIMESTAMP(MILLIS, UTC)).
 * </ul>
 *
 * A JSON value that does not fit its column (missing, wrong type, more than 2 decimals) is a programming
 * error of the pipeline that produced it and raises {@link IllegalArgumentException}.
 */
public final class ResultSchema implements Serializable {
  public enum Type {
    STRING,
    LONG,
    BOOLEAN,
    MONEY,
    TIMESTAMP
  }

  /** Precision and scale of {@link Type#MONEY}: up to 10^16 currency units, in cents. */
  public static final int MONEY_PRECISION = 18;

  public static final int MONEY_SCALE = 2;

  /** One column: its name in the JSON and in the file, its type, and whether it may be null. */
  public static final class Column implements Serializable {
    public final String name;
    public final Type type;
    public final boolean optional;

    Column(String name, Type type, boolean optional) {
      this.name = Objects.requireNonNull(name);
      this.type = Objects.requireNonNull(type);
      this.optional = optional;
    }
  }

  private final String name;
  private final List<String> keyFields;
  private final List<Column> columns;
  private transient Schema avro;

  private ResultSchema(String name, List<String> keyFields, List<Column> columns) {
    this.name = name;
    this.keyFields = List.copyOf(keyFields);
    this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
  }

  /** Starts a schema; {@code name} is the Avro record name (a Java-like identifier). */
  public static ResultSchema named(String name) {
    return new ResultSchema(name, List.of(), List.of());
  }

  /**
   * The fields that together identify one record: its key in Kafka ({@link WriteToKafka#keyedBy}), so that
   * log compaction and upserting consumers keep one record per result row.
   */
  public ResultSchema keyedBy(String... fields) {
    return new ResultSchema(name, List.of(fields), columns);
  }

  public ResultSchema string(String column) {
    return with(column, Type.STRING, false);
  }

  public ResultSchema longField(String column) {
    return with(column, Type.LONG, false);
  }

  public ResultSchema bool(String column) {
    return with(column, Type.BOOLEAN, false);
  }

  public ResultSchema money(String column) {
    return with(column, Type.MONEY, false);
  }

  public ResultSchema timestamp(String column) {
    return with(column, Type.TIMESTAMP, false);
  }

  /** A column that may be null or absent in the JSON. */
  public ResultSchema optional(String column, Type type) {
    return with(column, type, true);
  }

  private ResultSchema with(String column, Type type, boolean optional) {
    for (Column c : columns) {
      if (c.name.equals(column)) {
        throw new IllegalArgumentException("column " + column + " is declared twice in " + name);
      }
    }
    List<Column> more = new ArrayList<>(columns);
    more.add(new Column(column, type, optional));
    return new ResultSchema(name, keyFields, more);
  }

  public String name() {
    return name;
  }

  /** The fields of the record's key, in key order (empty: no key). */
  public List<String> keyFields() {
    return keyFields;
  }

  public List<Column> columns() {
    return columns;
  }

  /** The Avro schema the Parquet files are written with. */
  public Schema avroSchema() {
    if (avro == null) {
      SchemaBuilder.FieldAssembler<Schema> fields =
          SchemaBuilder.record(name).namespace("streams.parquet").fields();
      for (Column c : columns) {
        Schema type = avroType(c.type);
        fields =
            c.optional
                ? fields.name(c.name).type(Schema.createUnion(Schema.create(Schema.Type.NULL), type)).withDefault(null)
                : fields.name(c.name).type(type).noDefault();
      }
      avro = fields.endRecord();
    }
    return avro;
  }

  static Schema avroType(Type type) {
    switch (type) {
      case STRING:
        return Schema.create(Schema.Type.STRING);
      case LONG:
        return Schema.create(Schema.Type.LONG);
      case BOOLEAN:
        return Schema.create(Schema.Type.BOOLEAN);
      case MONEY:
        return LogicalTypes.decimal(MONEY_PRECISION, MONEY_SCALE).addToSchema(Schema.create(Schema.Type.BYTES));
      case TIMESTAMP:
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
      default:
        throw new IllegalStateException("unknown column type " + type);
    }
  }

  /** The JSON record as an Avro record of this schema. */
  public GenericRecord toRecord(String json) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": not JSON: " + json, e);
    }
    GenericRecord record = new GenericData.Record(avroSchema());
    for (Column c : columns) {
      JsonNode value = node.get(c.name);
      if (value == null || value.isNull()) {
        if (!c.optional) {
          throw new IllegalArgumentException(name + ": missing field '" + c.name + "' in " + json);
        }
        record.put(c.name, null);
        continue;
      }
      try {
        record.put(c.name, avroValue(c.type, value));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            name + ": field '" + c.name + "' is not a " + c.type + " in " + json + ": " + e.getMessage(), e);
      }
    }
    return record;
  }

  private static Object avroValue(Type type, JsonNode value) {
    switch (type) {
      case STRING:
        // A nested object (a late event's "event") is kept as its JSON text.
        return value.isValueNode() ? value.asText() : value.toString();
      case LONG:
        if (value.isIntegralNumber() && value.canConvertToLong()) {
          return value.longValue();
        }
        return Long.parseLong(value.asText().trim());
      case BOOLEAN:
        if (value.isBoolean()) {
          return value.booleanValue();
        }
        throw new IllegalArgumentException("not a boolean");
      case MONEY:
        BigDecimal amount = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim());
        return moneyBytes(amount);
      case TIMESTAMP:
        if (value.isIntegralNumber() && value.canConvertToLong()) {
          return value.longValue();
        }
        return parseInstantMillis(value.asText());
      default:
        throw new IllegalStateException("unknown column type " + type);
    }
  }

  /** A decimal(18,2) value: the unscaled cents, big-endian two's complement (Avro's decimal encoding). */
  public static ByteBuffer moneyBytes(BigDecimal amount) {
    BigDecimal cents = amount.setScale(MONEY_SCALE, RoundingMode.UNNECESSARY);
    if (cents.precision() > MONEY_PRECISION) {
      throw new IllegalArgumentException("amount " + amount + " exceeds decimal(18,2)");
    }
    return ByteBuffer.wrap(cents.unscaledValue().toByteArray());
  }

  public static ByteBuffer moneyBytes(long cents) {
    return moneyBytes(BigDecimal.valueOf(cents, MONEY_SCALE));
  }

  static long parseInstantMillis(String text) {
    String s = text.trim();
    try {
      return java.time.Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    }
  }
}
