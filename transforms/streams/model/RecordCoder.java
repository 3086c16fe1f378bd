package streams.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The coder of a record type, derived from its fields ({@link RecordType}): compact and deterministic, the
 * same bytes on every runner, no Java serialization. {@code @DefaultCoder(RecordCoder.class)} on a record
 * makes it the record's default coder.
 */
public final class RecordCoder<T extends Record> extends CustomCoder<T> {
  private final RecordType<T> type;

  RecordCoder(RecordType<T> type) {
    this.type = type;
  }

  public static <T extends Record> RecordCoder<T> of(Class<T> recordClass) {
    return RecordType.of(recordClass).coder();
  }

  /** What {@code @DefaultCoder(RecordCoder.class)} calls: the coder of any record class. */
  public static CoderProvider getCoderProvider() {
    return new CoderProvider() {
      @Override
      @SuppressWarnings({"unchecked", "rawtypes"})
      public <X> Coder<X> coderFor(TypeDescriptor<X> typeDescriptor, List<? extends Coder<?>> componentCoders)
          throws CannotProvideCoderException {
        Class<?> raw = typeDescriptor.getRawType();
        if (!raw.isRecord()) {
          throw new CannotProvideCoderException(raw.getName() + " is not a record");
        }
        return (Coder<X>) RecordType.of((Class) raw).coder();
      }
    };
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    type.encode(value, out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    return type.decode(in);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public TypeDescriptor<T> getEncodedTypeDescriptor() {
    return TypeDescriptor.of(type.recordClass());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordCoder && ((RecordCoder<?>) o).type.recordClass() == type.recordClass();
  }

  @Override
  public int hashCode() {
    return type.recordClass().hashCode();
  }

  @Override
  public String toString() {
    return "RecordCoder(" + type.name() + ")";
  }
}
