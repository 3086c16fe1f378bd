package streams.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import streams.model.Json;

/**
 * Reading rows back from Parquet (Avro records) for people: each row as one JSON object in the file's
 * column order, decimals as exact JSON numbers, {@code timestamp-millis} as ISO-8601 UTC; and the {@code
 * --where} filters of the query command ({@code field=value}, {@code !=}, {@code >}, {@code >=}, {@code <},
 * {@code <=}) compared by the column's type: numbers and decimals numerically, timestamps as instants,
 * everything else as text.
 */
public final class ParquetRows {
  private ParquetRows() {}

  /** The record as one JSON line. */
  public static String toJson(GenericRecord record) {
    ObjectNode node = Json.object();
    for (Schema.Field f : record.getSchema().getFields()) {
      Object v = value(record, f.name());
      if (v == null) {
        node.putNull(f.name());
      } else if (v instanceof Long) {
        node.put(f.name(), (Long) v);
      } else if (v instanceof Integer) {
        node.put(f.name(), (Integer) v);
      } else if (v instanceof Double) {
        node.put(f.name(), (Double) v);
      } else if (v instanceof Float) {
        node.put(f.name(), (Float) v);
      } else if (v instanceof BigDecimal) {
        node.put(f.name(), (BigDecimal) v);
      } else if (v instanceof Boolean) {
        node.put(f.name(), (Boolean) v);
      } else if (v instanceof java.time.Instant) {
        node.put(f.name(), Json.instant(((java.time.Instant) v).toEpochMilli()));
      } else {
        node.put(f.name(), v.toString());
      }
    }
    return node.toString();
  }

  /**
   * The value of {@code field} as a Java value: Long/Integer/Double/Float/Boolean/String, BigDecimal for
   * decimals, {@link java.time.Instant} for timestamps; null when absent.
   */
  public static Object value(GenericRecord record, String field) {
    Schema.Field f = record.getSchema().getField(field);
    if (f == null) {
      return null;
    }
    Object raw = record.get(f.pos());
    if (raw == null) {
      return null;
    }
    Schema schema = nonNull(f.schema());
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      int scale = ((LogicalTypes.Decimal) logical).getScale();
      byte[] bytes;
      if (raw instanceof ByteBuffer) {
        ByteBuffer b = ((ByteBuffer) raw).duplicate();
        bytes = new byte[b.remaining()];
        b.get(bytes);
      } else if (raw instanceof GenericFixed) {
        bytes = ((GenericFixed) raw).bytes();
      } else if (raw instanceof BigDecimal) {
        return raw;
      } else {
        return raw.toString();
      }
      return new BigDecimal(new BigInteger(bytes), scale);
    }
    if (logical instanceof LogicalTypes.TimestampMillis && raw instanceof Long) {
      return java.time.Instant.ofEpochMilli((Long) raw);
    }
    if (logical instanceof LogicalTypes.TimestampMicros && raw instanceof Long) {
      long micros = (Long) raw;
      return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
    if (raw instanceof CharSequence) {
      return raw.toString();
    }
    return raw;
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema s : schema.getTypes()) {
        if (s.getType() != Schema.Type.NULL) {
          return s;
        }
      }
    }
    return schema;
  }

  /** One {@code --where} condition. */
  public static final class Condition implements Serializable {
    private static final Pattern SYNTAX = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(>=|<=|!=|=|>|<)(.*)$");

    public final String field;
    public final String op;
    public final String operand;

    private Condition(String field, String op, String operand) {
      this.field = field;
      this.op = op;
      this.operand = operand;
    }

    /** Parses {@code field=value}, {@code field!=value}, {@code field>value} (also >=, <, <=). */
    public static Condition parse(String text) {
      Matcher m = SYNTAX.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--where " + text + " is not a condition; use field=value, field!=value, field>value,"
                + " field>=value, field<value or field<=value");
      }
      return new Condition(m.group(1), m.group(2), m.group(3).trim());
    }

    /** True when the record has the field and its value satisfies the condition. */
    public boolean test(GenericRecord record) {
      Object v = value(record, field);
      if (v == null) {
        return false;
      }
      int c;
      try {
        c = compare(v, operand);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--where " + this + ": '" + operand + "' cannot be compared with " + field + " (" + describe(v) + ")");
      }
      switch (op) {
        case "=":
          return c == 0;
        case "!=":
          return c != 0;
        case ">":
          return c > 0;
        case ">=":
          return c >= 0;
        case "<":
          return c < 0;
        default:
          return c <= 0;
      }
    }

    private static int compare(Object v, String operand) {
      if (v instanceof BigDecimal) {
        return ((BigDecimal) v).compareTo(new BigDecimal(operand));
      }
      if (v instanceof Long || v instanceof Integer) {
        return new BigDecimal(((Number) v).longValue()).compareTo(new BigDecimal(operand));
      }
      if (v instanceof Double || v instanceof Float) {
        return Double.compare(((Number) v).doubleValue(), Double.parseDouble(operand));
      }
      if (v instanceof java.time.Instant) {
        return ((java.time.Instant) v).compareTo(parseInstant(operand));
      }
      if (v instanceof Boolean) {
        String o = operand.toLowerCase(Locale.ROOT);
        if (!o.equals("true") && !o.equals("false")) {
          throw new IllegalArgumentException("not a boolean");
        }
        return Boolean.compare((Boolean) v, Boolean.parseBoolean(o));
      }
      return v.toString().compareTo(operand);
    }

    /** {@code 2026-01-15T10:00:00Z}, or with an offset: {@code 2026-01-15T11:00:00+01:00}. */
    private static java.time.Instant parseInstant(String text) {
      String s = text.trim();
      try {
        return java.time.Instant.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        return java.time.OffsetDateTime.parse(s).toInstant();
      }
    }

    private static String describe(Object v) {
      if (v instanceof BigDecimal || v instanceof Long || v instanceof Integer) {
        return "a number";
      }
      if (v instanceof java.time.Instant) {
        return "a timestamp, e.g. 2026-01-15T10:00:00Z";
      }
      return v.getClass().getSimpleName();
    }

    @Override
    public String toString() {
      return field + op + operand;
    }
  }

  public static List<Condition> parseAll(List<String> texts) {
    List<Condition> out = new ArrayList<>();
    if (texts != null) {
      for (String t : texts) {
        out.add(Condition.parse(t));
      }
    }
    return out;
  }
}
