package org.flowcert.report;

/** Placeholder until the sweep report lands (helper "sweephtml"): a minimal valid page. */
public final class SweepReport {
  private SweepReport() {}

  /** sweep.html from summary.json's text. */
  public static String render(String summaryJson) {
    String body = summaryJson.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>flowcert sweep</title></head>\n"
        + "<body><h1>flowcert sweep</h1><pre>" + body + "</pre></body></html>\n";
  }
}
