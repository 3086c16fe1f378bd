package streams.cli;

import java.util.Locale;

/** {@code --sink}: where the results go. */
enum SinkKind {
  FILES("jsonl"),
  PARQUET("parquet"),
  KAFKA(null);

  /** The extension of the result files (null for Kafka). */
  final String extension;

  SinkKind(String extension) {
    this.extension = extension;
  }

  static SinkKind parse(String value) {
    String v = value == null ? "files" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "files":
        return FILES;
      case "parquet":
        return PARQUET;
      case "kafka":
        return KAFKA;
      default:
        throw new UsageException("--sink=" + value + " is not a sink; allowed: files, kafka, parquet");
    }
  }
}
