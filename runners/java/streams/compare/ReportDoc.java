package streams.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report as a list of blocks (headings, paragraphs, tables, images, lists, code), rendered once as
 * Markdown and once as a self-contained HTML page (images embedded as base64 PNG, so the page opens from
 * disk). One content, two renderings: the two files never say different things.
 */
final class ReportDoc {
  private static final Pattern ISSUE = Pattern.compile("\\b(?:apache/)?beam#(\\d+)");

  private interface Block {
    void markdown(StringBuilder sb);

    void html(StringBuilder sb, Path dir) throws IOException;
  }

  private final String title;
  private final List<Block> blocks = new ArrayList<>();

  ReportDoc(String title) {
    this.title = title;
  }

  ReportDoc heading(int level, String text) {
    blocks.add(
        new Block() {
          @Override
          public void markdown(StringBuilder sb) {
            sb.append("#".repeat(level)).append(' ').append(text).append("\n\n");
          }

          @Override
          public void html(StringBuilder sb, Path dir) {
            String id = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            sb.append("<h").append(level).append(" id=\"").append(id).append("\">").append(esc(text))
                .append("</h").append(level).append(">\n");
          }
        });
    return this;
  }

  /** A paragraph; {@code `code`} spans are kept as code in both renderings, issue references are linked. */
  ReportDoc para(String text) {
    blocks.add(
        new Block() {
          @Override
          public void markdown(StringBuilder sb) {
            sb.append(mdInline(text)).append("\n\n");
          }

          @Override
          public void html(StringBuilder sb, Path dir) {
            sb.append("<p>").append(htmlInline(text)).append("</p>\n");
          }
        });
    return this;
  }

  ReportDoc bullets(List<String> items) {
    blocks.add(
        new Block() {
          @Override
          public void markdown(StringBuilder sb) {
            for (String i : items) {
              sb.append("- ").append(mdInline(i)).append('\n');
            }
            sb.append('\n');
          }

          @Override
          public void html(StringBuilder sb, Path dir) {
            sb.append("<ul>\n");
            for (String i : items) {
              sb.append("<li>").append(htmlInline(i)).append("</li>\n");
            }
            sb.append("</ul>\n");
          }
        });
    return this;
  }

  ReportDoc code(String text) {
    blocks.add(
        new Block() {
          @Override
          public void markdown(StringBuilder sb) {
            sb.append("```\n").append(text).append(text.endsWith("\n") ? "" : "\n").append("```\n\n");
          }

          @Override
          public void html(StringBuilder sb, Path dir) {
            sb.append("<pre>").append(esc(text)).append("</pre>\n");
          }
        });
    return this;
  }

  /** A table; cells hold inline text (code spans and issue references are rendered). */
  ReportDoc table(List<String> headers, List<List<String>> rows) {
    blocks.add(
        new Block() {
          @Override
          public void markdown(StringBuilder sb) {
            sb.append('|');
            headers.forEach(h -> sb.append(' ').append(mdCell(h)).append(" |"));
            sb.append("\n|");
            headers.forEach(h -> sb.append(" --- |"));
            sb.append('\n');
            for (List<String> r : rows) {
              sb.append('|');
              r.forEach(c -> sb.append(' ').append(mdCell(c)).append(" |"));
              sb.append('\n');
            }
            sb.append('\n');
          }

          @Override
          public void html(StringBuilder sb, Path dir) {
            sb.append("<table>\n<thead><tr>");
            headers.forEach(h -> sb.append("<th>").append(htmlInline(h)).append("</th>"));
            sb.append("</tr></thead>\n<tbody>\n");
            for (List<String> r : rows) {
              sb.append("<tr>");
              r.forEach(c -> sb.append("<td>").append(htmlInline(c)).append("</td>"));
              sb.append("</tr>\n");
            }
            sb.append("</tbody></table>\n");
          }
        });
    return this;
  }

  /** An image saved beside the report: linked from the Markdown, embedded in the HTML. */
  ReportDoc image(String fileName, String alt) {
    blocks.add(
        new Block() {
          @Override
          public void markdown(StringBuilder sb) {
            sb.append("![").append(alt).append("](").append(fileName).append(")\n\n");
          }

          @Override
          public void html(StringBuilder sb, Path dir) throws IOException {
            String data = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(fileName)));
            sb.append("<figure><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(data).append("\"><figcaption>").append(esc(alt)).append(" (")
                .append(esc(fileName)).append(")</figcaption></figure>\n");
          }
        });
    return this;
  }

  String toMarkdown() {
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
    blocks.forEach(b -> b.markdown(sb));
    return sb.toString();
  }

  /** The HTML page; {@code dir} is where the images are read from to embed them. */
  String toHtml(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;")
        .append("margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.92em}\n")
        .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n")
        .append("th{background:#f3f3f3}tbody tr:nth-child(even){background:#fafafa}\n")
        .append("code,pre{font-family:Menlo,Consolas,monospace;font-size:0.9em;background:#f5f5f5}\n")
        .append("pre{padding:0.6em;overflow-x:auto}figure{display:inline-block;width:49%;margin:0.5em 0;")
        .append("vertical-align:top}img{max-width:100%;")
        .append("border:1px solid #ddd}figcaption{color:#666;font-size:0.85em}\n")
        .append("</style></head><body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n");
    for (Block b : blocks) {
      b.html(sb, dir);
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static String mdInline(String text) {
    // Inside code spans nothing is linked; outside, issue references become links.
    StringBuilder sb = new StringBuilder();
    String[] parts = text.split("`", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i % 2 == 1) {
        sb.append('`').append(parts[i]).append('`');
      } else {
        Matcher m = ISSUE.matcher(parts[i]);
        sb.append(m.replaceAll(r -> Matcher.quoteReplacement("[" + r.group() + "](" + issueUrl(r) + ")")));
      }
    }
    return sb.toString();
  }

  private static String mdCell(String text) {
    return mdInline(text.replace("|", "\\|").replace("\n", " "));
  }

  private static String htmlInline(String text) {
    StringBuilder sb = new StringBuilder();
    String[] parts = text.split("`", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i % 2 == 1) {
        sb.append("<code>").append(esc(parts[i])).append("</code>");
      } else {
        String escaped = esc(parts[i]);
        Matcher m = ISSUE.matcher(escaped);
        sb.append(
            m.replaceAll(
                r -> Matcher.quoteReplacement("<a href=\"" + issueUrl(r) + "\">" + r.group() + "</a>")));
      }
    }
    return sb.toString();
  }

  private static String issueUrl(java.util.regex.MatchResult r) {
    return "https://github.com/apache/beam/issues/" + r.group(1);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
