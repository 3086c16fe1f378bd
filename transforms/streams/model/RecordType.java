package streams.model;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Everything about a record type that follows from its one declaration: a Java record whose components
 * carry {@link Field} (JSON name, kind, key) and, for an input event, whose class carries {@link
 * EventType}. From it come:
 *
 * <ul>
 *   <li>the JSON form ({@link #toJson}): the fields in declaration order, money ({@link Kind#MONEY}, cents) as
 *       a number with exactly two decimals, instants ({@link Kind#TIMESTAMP}, epoch milliseconds) as ISO-8601
 *       UTC with milliseconds ({@link Json#instant}), enums by name, {@link Kind#JSON} text inlined as is;
 *   <li>the Kafka key ({@link #kafkaKey}): the JSON object of the key fields, written as in the record;
 *   <li>the coder ({@link #coder()}, also found by {@code @DefaultCoder(RecordCoder.class)}): strings as
 *       UTF-8 with a length, numbers as var-longs, enums as one byte (the ordinal), booleans as one byte;
 *   <li>the columns the Parquet sink makes its Avro schema and records from ({@code streams.io.AvroRecords}).
 * </ul>
 *
 * Components may be {@code String}, {@code long}, {@code boolean} or an enum; {@link Kind#MONEY} and {@link
 * Kind#TIMESTAMP} apply to {@code long}, {@link Kind#JSON} to {@code String}. One instance per class ({@link
 * #of}); a serialized one resolves to it again.
 */
public final class RecordType<T extends Record> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How a field is written. {@link #PLAIN} (the default in {@link Field}) follows the Java type. */
  public enum Kind {
    PLAIN,
    STRING,
    LONG,
    BOOLEAN,
    ENUM,
    /** Cents, written as a decimal with exactly two digits after the point; Parquet decimal(18,2). */
    MONEY,
    /** Epoch milliseconds, written as ISO-8601 UTC ({@code 2026-01-15T10:00:00.000Z}); Parquet timestamp-millis. */
    TIMESTAMP,
    /** Text that is itself one JSON value, inlined in the JSON form; a string in Parquet. */
    JSON
  }

  /** One field: its name, kind, whether it is part of the key, and how to read it from a record. */
  public static final class Column {
    private final String name;
    private final Kind kind;
    private final boolean key;
    private final MethodHandle getter; // (Object)Object, (Object)long or (Object)boolean by kind
    private final Object[] enumConstants;

    private Column(String name, Kind kind, boolean key, MethodHandle getter, Object[] enumConstants) {
      this.name = name;
      this.kind = kind;
      this.key = key;
      this.getter = getter;
      this.enumConstants = enumConstants;
    }

    public String name() {
      return name;
    }

    /** The resolved kind: never {@link Kind#PLAIN}. */
    public Kind kind() {
      return kind;
    }

    public boolean isKey() {
      return key;
    }

    /** The value of a {@code long} field (LONG, MONEY, TIMESTAMP). */
    public long longValue(Object record) {
      try {
        return (long) getter.invokeExact(record);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    /** The value of a {@code boolean} field. */
    public boolean booleanValue(Object record) {
      try {
        return (boolean) getter.invokeExact(record);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    /** The value of a String or enum field. */
    public Object objectValue(Object record) {
      try {
        return (Object) getter.invokeExact(record);
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    void writeJson(Object record, JsonGenerator g) throws IOException {
      g.writeFieldName(name);
      switch (kind) {
        case STRING:
          g.writeString((String) objectValue(record));
          break;
        case ENUM:
          g.writeString(((Enum<?>) objectValue(record)).name());
          break;
        case JSON:
          g.writeRawValue((String) objectValue(record));
          break;
        case LONG:
          g.writeNumber(longValue(record));
          break;
        case MONEY:
          g.writeNumber(Json.money(longValue(record)));
          break;
        case TIMESTAMP:
          g.writeString(Json.instant(longValue(record)));
          break;
        case BOOLEAN:
          g.writeBoolean(booleanValue(record));
          break;
        default:
          throw new IllegalStateException("kind " + kind);
      }
    }

    void encode(Object record, OutputStream out) throws IOException {
      switch (kind) {
        case STRING:
        case JSON:
          TEXT.encode((String) objectValue(record), out);
          break;
        case ENUM:
          out.write(((Enum<?>) objectValue(record)).ordinal());
          break;
        case LONG:
        case MONEY:
        case TIMESTAMP:
          VarInt.encode(longValue(record), out);
          break;
        case BOOLEAN:
          out.write(booleanValue(record) ? 1 : 0);
          break;
        default:
          throw new IllegalStateException("kind " + kind);
      }
    }

    /** What reads this field's encoding from a stream: {@code (InputStream)fieldType}. */
    MethodHandle reader(Class<?> fieldType, String type) throws ReflectiveOperationException {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      switch (kind) {
        case STRING:
        case JSON:
          return lookup.findStatic(RecordType.class, "readText", MethodType.methodType(String.class, InputStream.class));
        case LONG:
        case MONEY:
        case TIMESTAMP:
          return lookup.findStatic(RecordType.class, "readLong", MethodType.methodType(long.class, InputStream.class));
        case BOOLEAN:
          return MethodHandles.insertArguments(
              lookup.findStatic(
                  RecordType.class,
                  "readBoolean",
                  MethodType.methodType(boolean.class, String.class, String.class, InputStream.class)),
              0, type, name);
        case ENUM:
          return MethodHandles.insertArguments(
                  lookup.findStatic(
                      RecordType.class,
                      "readEnum",
                      MethodType.methodType(Object.class, Object[].class, String.class, String.class, InputStream.class)),
                  0, enumConstants, type, name)
              .asType(MethodType.methodType(fieldType, InputStream.class));
        default:
          throw new IllegalStateException("kind " + kind);
      }
    }
  }

  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();

  private static String readText(InputStream in) throws IOException {
    return TEXT.decode(in);
  }

  private static long readLong(InputStream in) throws IOException {
    return VarInt.decodeLong(in);
  }

  private static boolean readBoolean(String type, String name, InputStream in) throws IOException {
    int b = in.read();
    if (b != 0 && b != 1) {
      throw new CoderException("corrupt " + type + " encoding: " + name + " " + b);
    }
    return b == 1;
  }

  private static Object readEnum(Object[] constants, String type, String name, InputStream in) throws IOException {
    int ordinal = in.read();
    if (ordinal < 0 || ordinal >= constants.length) {
      throw new CoderException("corrupt " + type + " encoding: " + name + " " + ordinal);
    }
    return constants[ordinal];
  }

  private static final ClassValue<RecordType<?>> TYPES =
      new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RecordType<?> computeValue(Class<?> type) {
          if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
          }
          return new RecordType(type);
        }
      };

  private final Class<T> recordClass;
  private final String simpleName;
  private final String eventType;
  private final List<Column> columns;
  private final List<String> keyFields;
  private final Column[] columnArray;
  private final Column[] keyArray;
  /**
   * The whole decode as one method handle, {@code (InputStream)Object}: the record's constructor with each
   * argument read from the stream in field order, no boxing and no argument array.
   */
  private final MethodHandle decoder;
  private final RecordCoder<T> coder;

  private RecordType(Class<T> recordClass) {
    this.recordClass = recordClass;
    this.simpleName = recordClass.getSimpleName();
    EventType event = recordClass.getAnnotation(EventType.class);
    this.eventType = event == null ? null : event.value();
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    List<Column> cols = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    RecordComponent[] components = recordClass.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        RecordComponent rc = components[i];
        types[i] = rc.getType();
        Field field = rc.getAnnotation(Field.class);
        if (field == null) {
          throw new IllegalStateException(recordClass.getName() + "." + rc.getName() + " has no @Field");
        }
        Kind kind = resolve(recordClass, rc, field.kind());
        MethodHandle getter = lookup.unreflect(rc.getAccessor());
        Class<?> returned = rc.getType().isPrimitive() ? rc.getType() : Object.class;
        getter = getter.asType(MethodType.methodType(returned, Object.class));
        Column c = new Column(field.value(), kind, field.key(), getter, rc.getType().getEnumConstants());
        for (Column other : cols) {
          if (other.name.equals(c.name)) {
            throw new IllegalStateException(recordClass.getName() + ": field " + c.name + " declared twice");
          }
        }
        cols.add(c);
        if (field.key()) {
          keys.add(field.value());
        }
      }
      MethodHandle ctor = lookup.findConstructor(recordClass, MethodType.methodType(void.class, types));
      MethodHandle[] readers = new MethodHandle[types.length];
      for (int i = 0; i < types.length; i++) {
        readers[i] = cols.get(i).reader(types[i], simpleName);
      }
      // Filters run left to right, so the fields are read in their order in the stream.
      MethodHandle reading = MethodHandles.filterArguments(ctor, 0, readers);
      this.decoder =
          MethodHandles.permuteArguments(
                  reading, MethodType.methodType(recordClass, InputStream.class), new int[types.length])
              .asType(MethodType.methodType(Object.class, InputStream.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(recordClass.getName() + ": " + e, e);
    }
    this.columns = List.copyOf(cols);
    this.keyFields = List.copyOf(keys);
    this.columnArray = cols.toArray(new Column[0]);
    this.keyArray = cols.stream().filter(Column::isKey).toArray(Column[]::new);
    this.coder = new RecordCoder<>(this);
  }

  private static Kind resolve(Class<?> owner, RecordComponent rc, Kind declared) {
    Class<?> t = rc.getType();
    Kind plain =
        t == String.class ? Kind.STRING
            : t == long.class ? Kind.LONG
            : t == boolean.class ? Kind.BOOLEAN
            : t.isEnum() ? Kind.ENUM
            : null;
    boolean fits =
        declared == Kind.PLAIN ? plain != null
            : declared == Kind.MONEY || declared == Kind.TIMESTAMP ? plain == Kind.LONG
            : declared == Kind.JSON ? plain == Kind.STRING
            : declared == plain;
    if (!fits) {
      throw new IllegalStateException(
          owner.getName() + "." + rc.getName() + ": a " + t.getSimpleName() + " cannot be " + declared);
    }
    return declared == Kind.PLAIN ? plain : declared;
  }

  /** The record type of {@code recordClass}, made once per class. */
  @SuppressWarnings("unchecked")
  public static <T extends Record> RecordType<T> of(Class<T> recordClass) {
    return (RecordType<T>) TYPES.get(recordClass);
  }

  public Class<T> recordClass() {
    return recordClass;
  }

  /** The record's name (the Avro record name of its Parquet files): the class's simple name. */
  public String name() {
    return simpleName;
  }

  public List<Column> columns() {
    return columns;
  }

  /** The names of the key fields, in declaration order (empty: the record has no key). */
  public List<String> keyFields() {
    return keyFields;
  }

  public RecordCoder<T> coder() {
    return coder;
  }

  /** The JSON form, one line: {@code {"type":...,}} (events only) then every field in declaration order. */
  public String toJson(T record) {
    return object(record, columnArray, true);
  }

  /** The Kafka key: the JSON object of the key fields, e.g. {@code {"order_id":"o-1"}}; null without key fields. */
  public String kafkaKey(T record) {
    return keyArray.length == 0 ? null : object(record, keyArray, false);
  }

  private String object(T record, Column[] fields, boolean withType) {
    StringWriter text = new StringWriter(32 * fields.length);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(text)) {
      g.writeStartObject();
      if (withType && eventType != null) {
        g.writeStringField("type", eventType);
      }
      for (Column c : fields) {
        c.writeJson(record, g);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  void encode(T record, OutputStream out) throws IOException {
    for (Column c : columnArray) {
      c.encode(record, out);
    }
  }

  T decode(InputStream in) throws IOException {
    try {
      return recordClass.cast((Object) decoder.invokeExact(in));
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CoderException("invalid " + name() + " decoded: " + e.getMessage(), e);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException) {
      throw (RuntimeException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
    throw new IllegalStateException(e);
  }

  @Override
  public String toString() {
    return "RecordType(" + recordClass.getName() + ")";
  }

  private Object writeReplace() {
    return new SerializedForm(recordClass);
  }

  /** What a serialized record type holds: its class, which {@link #of} turns back into the one instance. */
  private static final class SerializedForm implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Class<?> recordClass;

    SerializedForm(Class<?> recordClass) {
      this.recordClass = recordClass;
    }

    private Object readResolve() {
      return TYPES.get(recordClass);
    }
  }
}
