package streams.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.SerializableFunction;
import streams.model.RecordType;

/**
 * A record type as Parquet (Avro) records, from its fields ({@link RecordType}). Column types are chosen so
 * that any Parquet reader understands them and money stays exact:
 *
 * <ul>
 *   <li>strings, enums (by name) and {@link RecordType.Kind#JSON} text: {@code string} (Parquet BINARY, UTF8);
 *   <li>{@code long}: {@code long} (INT64); {@code boolean}: {@code boolean};
 *   <li>{@link RecordType.Kind#MONEY}: Avro {@code bytes} with logical type {@code decimal(18,2)} (Parquet
 *       BINARY annotated DECIMAL(18,2)): exact cents, read as a decimal by DuckDB, pyarrow, Trino and other
 *       Parquet readers, and summed without rounding;
 *   <li>{@link RecordType.Kind#TIMESTAMP}: {@code long} with logical type {@code timestamp-millis} (Parquet
 *       INT64 TIMESTAMP(MILLIS, UTC)).
 * </ul>
 */
public final class AvroRecords<T extends Record> implements SerializableFunction<T, GenericRecord> {
  /** Precision and scale of money: up to 10^16 currency units, in cents. */
  public static final int MONEY_PRECISION = 18;

  public static final int MONEY_SCALE = 2;

  private static final long MONEY_BOUND = 1_000_000_000_000_000_000L; // 10^18 cents: 19 digits

  private static final ConcurrentHashMap<Class<?>, Schema> SCHEMAS = new ConcurrentHashMap<>();

  private final RecordType<T> type;

  private AvroRecords(RecordType<T> type) {
    this.type = type;
  }

  /** The conversion of {@code type}'s records to Avro records of {@link #schema}. */
  public static <T extends Record> AvroRecords<T> of(RecordType<T> type) {
    return new AvroRecords<>(type);
  }

  /** The Avro schema of {@code type}'s Parquet files: record {@code streams.parquet.<Name>}, one column a field. */
  public static Schema schema(RecordType<?> type) {
    return SCHEMAS.computeIfAbsent(type.recordClass(), c -> build(type));
  }

  private static Schema build(RecordType<?> type) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(type.name()).namespace("streams.parquet").fields();
    for (RecordType.Column c : type.columns()) {
      fields = fields.name(c.name()).type(avroType(c.kind())).noDefault();
    }
    return fields.endRecord();
  }

  private static Schema avroType(RecordType.Kind kind) {
    switch (kind) {
      case STRING:
      case ENUM:
      case JSON:
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
        throw new IllegalStateException("unknown column kind " + kind);
    }
  }

  @Override
  public GenericRecord apply(T value) {
    GenericRecord record = new GenericData.Record(schema(type));
    int i = 0;
    for (RecordType.Column c : type.columns()) {
      record.put(i++, avroValue(c, value));
    }
    return record;
  }

  private Object avroValue(RecordType.Column c, T value) {
    switch (c.kind()) {
      case STRING:
      case JSON:
        return c.objectValue(value);
      case ENUM:
        return ((Enum<?>) c.objectValue(value)).name();
      case LONG:
      case TIMESTAMP:
        return c.longValue(value);
      case BOOLEAN:
        return c.booleanValue(value);
      case MONEY:
        try {
          return moneyBytes(c.longValue(value));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(type.name() + "." + c.name() + ": " + e.getMessage(), e);
        }
      default:
        throw new IllegalStateException("unknown column kind " + c.kind());
    }
  }

  /**
   * A decimal(18,2) value: the cents, big-endian two's complement (Avro's decimal encoding). An amount of 10^16
   * currency units or more does not fit and raises {@link IllegalArgumentException}.
   */
  public static ByteBuffer moneyBytes(long cents) {
    if (cents >= MONEY_BOUND || cents <= -MONEY_BOUND) {
      throw new IllegalArgumentException(
          "amount " + java.math.BigDecimal.valueOf(cents, MONEY_SCALE) + " exceeds decimal(18,2)");
    }
    return ByteBuffer.wrap(BigInteger.valueOf(cents).toByteArray());
  }
}
