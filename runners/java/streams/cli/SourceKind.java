package streams.cli;

import java.util.Locale;

/** {@code --source}: where the events come from. */
enum SourceKind {
  FILE,
  KAFKA;

  static SourceKind parse(String value) {
    String v = value == null ? "file" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "file":
        return FILE;
      case "kafka":
        return KAFKA;
      default:
        throw new UsageException("--source=" + value + " is not a source; allowed: file, kafka");
    }
  }
}
