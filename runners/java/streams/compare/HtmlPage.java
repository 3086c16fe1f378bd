package streams.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.Image;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * {@code report.html}: the Markdown report rendered by commonmark (GitHub tables, heading ids) into one
 * self-contained page: the charts are embedded as base64 PNG, so the page opens from disk.
 */
final class HtmlPage {
  private static final List<Extension> EXTENSIONS =
      List.of(TablesExtension.create(), HeadingAnchorExtension.create());

  private static final String STYLE =
      "body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;"
          + "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
          + "table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.92em}\n"
          + "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n"
          + "th{background:#f3f3f3}tbody tr:nth-child(even){background:#fafafa}\n"
          + "code,pre{font-family:Menlo,Consolas,monospace;font-size:0.9em;background:#f5f5f5}\n"
          + "pre{padding:0.6em;overflow-x:auto}img{display:inline-block;width:49%;margin:0.5em 0;"
          + "vertical-align:top;border:1px solid #ddd}\n";

  private HtmlPage() {}

  /** The page of {@code markdown}; images are read from {@code dir}. */
  static String render(String title, String markdown, Path dir) {
    Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    HtmlRenderer renderer =
        HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .attributeProviderFactory(context -> embedImages(dir))
            .build();
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
        + escape(title)
        + "</title>\n<style>\n"
        + STYLE
        + "</style></head><body>\n"
        + renderer.render(parser.parse(markdown))
        + "</body></html>\n";
  }

  /** A chart linked from the Markdown becomes a data: URL of its bytes. */
  private static AttributeProvider embedImages(Path dir) {
    return (node, tagName, attributes) -> {
      if (node instanceof Image image && !image.getDestination().contains(":")) {
        try {
          byte[] png = Files.readAllBytes(dir.resolve(image.getDestination()));
          attributes.put("src", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
