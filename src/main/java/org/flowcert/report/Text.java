package org.flowcert.report;

import java.math.BigDecimal;
import java.util.Locale;

/** Escaping, number formatting and plurals: locale-independent and deterministic. */
final class Text {
  private Text() {}

  /** Escapes text for HTML element content and attribute values (also inside inline SVG). */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          // Control characters other than tab/newline are not allowed in HTML text.
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * A number for people: 4 significant digits, plain in [1e-3, 1e6), else {@code 1.234e-5};
   * {@code "non-finite"} for NaN and infinities (the certificate writes them as null).
   */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return "non-finite";
    }
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    if (a >= 1e-3 && a < 1e6) {
      BigDecimal bd = new BigDecimal(v).round(new java.math.MathContext(4));
      return bd.stripTrailingZeros().toPlainString();
    }
    return sci(v, 3);
  }

  /** Scientific notation with at most {@code digits} decimals of the mantissa, e.g. 1.5e-12. */
  static String sci(double v, int digits) {
    String s = String.format(Locale.ROOT, "%." + digits + "e", v);
    int e = s.indexOf('e');
    String mant = s.substring(0, e);
    if (mant.indexOf('.') >= 0) {
      mant = mant.replaceAll("0+$", "");
      if (mant.endsWith(".")) {
        mant = mant.substring(0, mant.length() - 1);
      }
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    return mant + "e" + exp;
  }

  /** The plural ending for {@code k} things: "" for one, "s" otherwise. */
  static String plural(int k) {
    return k == 1 ? "" : "s";
  }

  /** A pixel coordinate: two decimals, Locale.ROOT. */
  static String px(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
