package streams.compare;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report as Markdown, built block by block (headings, paragraphs, tables, images, lists, code). The
 * HTML page is rendered from this same text ({@link HtmlPage}), so the two files never say different things.
 */
final class ReportDoc {
  private static final Pattern ISSUE = Pattern.compile("\\b(?:apache/)?beam#(\\d+)");

  private final String title;
  private final StringBuilder md = new StringBuilder();

  ReportDoc(String title) {
    this.title = title;
    md.append("# ").append(title).append("\n\n");
  }

  String title() {
    return title;
  }

  ReportDoc heading(int level, String text) {
    md.append("#".repeat(level)).append(' ').append(text).append("\n\n");
    return this;
  }

  /** A paragraph; {@code `code`} spans are kept as code, issue references become links. */
  ReportDoc para(String text) {
    md.append(inline(text)).append("\n\n");
    return this;
  }

  ReportDoc bullets(List<String> items) {
    items.forEach(i -> md.append("- ").append(inline(i)).append('\n'));
    md.append('\n');
    return this;
  }

  ReportDoc code(String text) {
    md.append("```\n").append(text).append(text.endsWith("\n") ? "" : "\n").append("```\n\n");
    return this;
  }

  /** A table (GitHub-flavoured Markdown); cells hold inline text. */
  ReportDoc table(List<String> headers, List<List<String>> rows) {
    row(headers);
    md.append('|');
    headers.forEach(h -> md.append(" --- |"));
    md.append('\n');
    rows.forEach(this::row);
    md.append('\n');
    return this;
  }

  private void row(List<String> cells) {
    md.append('|');
    cells.forEach(c -> md.append(' ').append(inline(c.replace("|", "\\|").replace("\n", " "))).append(" |"));
    md.append('\n');
  }

  /** An image saved beside the report: linked from the Markdown (the HTML page embeds it). */
  ReportDoc image(String fileName, String alt) {
    md.append("![").append(alt).append("](").append(fileName).append(")\n\n");
    return this;
  }

  String toMarkdown() {
    return md.toString();
  }

  /** Outside code spans, issue references ("beam#123", "apache/beam#123") become links. */
  private static String inline(String text) {
    StringBuilder sb = new StringBuilder();
    String[] parts = text.split("`", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i % 2 == 1) {
        sb.append('`').append(parts[i]).append('`');
      } else {
        Matcher m = ISSUE.matcher(parts[i]);
        sb.append(
            m.replaceAll(
                r ->
                    Matcher.quoteReplacement(
                        "[" + r.group() + "](https://github.com/apache/beam/issues/" + r.group(1) + ")")));
      }
    }
    return sb.toString();
  }
}
