package io.github.twolayer.experiments;

import io.github.twolayer.data.Outputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Self-contained HTML reports (images inlined as data URIs) that open in any browser. A small script
 * marks the page once every image has decoded ({@code data-images-ok} on the body), which the page test
 * reads from headless Chromium.
 */
public final class Report {
  private Report() {}

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  public static String image(Path png, String alt) throws IOException {
    return image(Files.readAllBytes(png), alt);
  }

  /** A PNG embedded in the page (a report is one self-contained file). */
  public static String image(byte[] png, String alt) {
    return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
        + "\">";
  }

  static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
        + "<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
        + "img{max-width:100%;height:auto;border:1px solid #eee;margin:.5em .5em .5em 0;vertical-align:top}.ok{color:#1a7f37}.bad{color:#b42318}"
        + "</style></head>\n<body>\n" + body
        + "<script>window.addEventListener('load',function(){var ok=true;"
        + "document.querySelectorAll('img').forEach(function(i){if(!i.complete||i.naturalWidth===0){ok=false;}});"
        + "document.body.setAttribute('data-images-ok',ok?'true':'false');});</script>\n</body></html>\n";
  }

  /** Writes an HTML page, completely or not at all. */
  public static void write(Path file, String title, String body) throws IOException {
    try (Outputs outputs = Outputs.reading()) {
      write(outputs, file, title, body);
      outputs.commit();
    }
  }

  /** Writes an HTML page as one of a run's {@code outputs}. */
  public static void write(Outputs outputs, Path file, String title, String body) throws IOException {
    byte[] bytes = page(title, body).getBytes(StandardCharsets.UTF_8);
    outputs.write(file, out -> out.write(bytes));
  }

  /** A table of name/value rows. */
  public static String table(Map<String, Object> rows) {
    StringBuilder sb = new StringBuilder("<table>\n");
    rows.forEach((k, v) -> sb.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(String.valueOf(v)))
        .append("</td></tr>\n"));
    return sb.append("</table>\n").toString();
  }

  /** The report of a whole suite: each experiment's claim, verdict and plots. */
  public static void suite(Path file, List<Runner.Result> results, boolean quick) throws IOException {
    StringBuilder body = new StringBuilder("<h1>twolayer: reproduced experiments</h1>\n<p>");
    body.append(quick ? "Quick run (shrunken grids): a smoke test of each claim's direction, not a test of the "
        + "claims themselves, which the full grids are."
        : "Full run: every experiment on its full grid.").append(" Medians over seeds with 10–90% bands.</p>\n");
    if (!results.isEmpty()) {
      body.append("<p>Ran on: ").append(escape(results.get(0).machine().describe())).append(".</p>\n");
    }
    body.append("<table><tr><th>experiment</th><th>claim</th><th>result</th></tr>\n");
    for (Runner.Result r : results) {
      body.append("<tr><td><a href=\"#").append(r.experiment().name()).append("\">").append(r.experiment().name())
          .append("</a></td><td>").append(escape(r.experiment().claim())).append("</td><td class=\"")
          .append(r.verdict().holds() ? "ok\">" : "bad\">").append(quick ? "direction " : "")
          .append(r.verdict().holds() ? "holds" : "does not hold").append("</td></tr>\n");
    }
    body.append("</table>\n");
    for (Runner.Result r : results) {
      body.append("<h2 id=\"").append(r.experiment().name()).append("\">").append(r.experiment().name()).append(": ")
          .append(escape(r.experiment().title())).append("</h2>\n<p><b>Claim.</b> ").append(escape(r.experiment().claim()))
          .append("</p>\n<p class=\"").append(r.verdict().holds() ? "ok" : "bad").append("\"><b>")
          .append(escape(Runner.headline(r.verdict(), quick))).append("</b> ")
          .append(escape(r.verdict().reason())).append("</p>\n");
      // Each figure with a link to the tidy CSV it was drawn from (next to report.html).
      String csv = escape(r.csv().getFileName().toString());
      for (Path png : r.plots()) {
        body.append("<figure>").append(image(png, png.getFileName().toString())).append("<figcaption>data: <a href=\"")
            .append(csv).append("\">").append(csv).append("</a></figcaption></figure>\n");
      }
    }
    write(file, "twolayer experiments", body.toString());
  }

}
