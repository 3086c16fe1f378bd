package streams.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Bytes written to it become whole lines (UTF-8, without the line end) handed to a consumer: at each
 * {@code \n}, and the last partial line at {@link #close}. {@link #flush} sends nothing, so the pieces of
 * a {@code printf} make one line.
 */
final class LineStream extends OutputStream {
  private final Consumer<String> lines;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  LineStream(Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void flush() {
    // Lines go out when complete.
  }

  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String text = line.toString(StandardCharsets.UTF_8).replaceAll("\r$", "");
    line.reset();
    lines.accept(text);
  }
}
