package org.flowcert.report;

/** The page's inline CSS; the page stays readable without it (see the package documentation). */
final class Stylesheet {
  private Stylesheet() {}

  static final String CSS =
      "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;"
          + "max-width:1120px;margin:0 auto;padding:1em 1.5em 3em;color:#222;line-height:1.45}\n"
          + "h1{margin-bottom:.2em}h2{border-bottom:2px solid #ccc;padding-bottom:.15em;"
          + "margin-top:2em}h3{margin-top:1.4em}\n"
          + "table{border-collapse:collapse;margin:.5em 0}\n"
          + "th,td{border:1px solid #aaa;padding:.3em .6em;text-align:left;vertical-align:top}\n"
          + "thead th{background:#f0f0f0}\n"
          + "table.verdicts td{text-align:center;min-width:7.5em}\n"
          + "table.verdicts td a{color:inherit;text-decoration:none;display:block}\n"
          + "table.verdicts td a:hover{text-decoration:underline}\n"
          + ".v-confirmed{background:#d4efd9;color:#14532d}\n"
          + ".v-refuted{background:#f9d3d6;color:#7f1d1d}\n"
          + ".v-undecided{background:#e4e4e4;color:#333}\n"
          + ".v-none{color:#888;background:#fafafa}\n"
          + ".vt{font-weight:bold;text-transform:uppercase;letter-spacing:.03em}\n"
          + "span.vt{padding:0 .3em;border-radius:3px}\n"
          + ".kind,.ep{font-size:.85em}\n"
          + "table.kv th{background:#f6f6f6;font-weight:normal;width:14em}\n"
          + "table.kv.wide th{width:auto}table.kv.wide td{min-width:6em}\n"
          + "div.side{display:flex;flex-wrap:wrap;gap:0 2.5em}div.side table.kv th{width:auto}div.side>div{flex:1 1 22em}\n"
          + "table.num td{text-align:right;font-variant-numeric:tabular-nums}\n"
          + "figure{margin:1.2em 0}figcaption{font-size:.9em;max-width:720px;color:#333}\n"
          + "svg.plot{max-width:100%;height:auto;border:1px solid #ddd}\n"
          + ".legend-text{background:#f7f7f7;border-left:4px solid #999;padding:.5em .9em}\n"
          + "section.case,article.verdict{margin-bottom:2em}\n"
          + "article.verdict{border-top:1px solid #ddd;padding-top:.3em}\n"
          + ".note{color:#555;font-style:italic}\n"
          + "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}\n"
          + "ol.evidence li{margin-bottom:.3em}\n";
}
