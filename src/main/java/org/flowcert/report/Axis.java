package org.flowcert.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One plot axis: a map from data values to pixels, linear or log10, with its ticks.
 *
 * <p>Linear: the domain is the given [min, max] (widened when degenerate) and {@code pixel =
 * pixLo + (v - min) / (max - min) * (pixHi - pixLo)}. Log: the domain is widened to whole decades,
 * [10^floor(log10 min), 10^ceil(log10 max)] (one more decade each side when that is a single
 * point), and {@code pixel = pixLo + (log10 v - kLo) / (kHi - kLo) * (pixHi - pixLo)}. Only finite
 * values (and, on a log axis, positive ones) can be mapped; see {@link #accepts}.
 */
final class Axis {
  /** A tick: its value, its pixel, and its label (for log axes the decade exponent). */
  record Tick(double value, double pixel, String label, Integer decade) {}

  final boolean log;
  /** Domain ends: data values (linear) or decade exponents (log). */
  final double lo;
  final double hi;
  final double pixLo;
  final double pixHi;

  private Axis(boolean log, double lo, double hi, double pixLo, double pixHi) {
    this.log = log;
    this.lo = lo;
    this.hi = hi;
    this.pixLo = pixLo;
    this.pixHi = pixHi;
  }

  /** A linear axis over [min, max] (finite; widened when min == max). */
  static Axis linear(double min, double max, double pixLo, double pixHi) {
    if (!(Double.isFinite(min) && Double.isFinite(max))) {
      min = 0;
      max = 1;
    }
    if (min > max) {
      double t = min;
      min = max;
      max = t;
    }
    if (min == max) {
      double d = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= d;
      max += d;
    }
    return new Axis(false, min, max, pixLo, pixHi);
  }

  /** A log10 axis covering [min, max] (positive, finite), widened to whole decades. */
  static Axis log(double min, double max, double pixLo, double pixHi) {
    if (!(min > 0 && max > 0 && Double.isFinite(min) && Double.isFinite(max))) {
      min = 1;
      max = 1;
    }
    if (min > max) {
      double t = min;
      min = max;
      max = t;
    }
    double kLo = Math.floor(StrictMath.log10(min));
    double kHi = Math.ceil(StrictMath.log10(max));
    if (kLo == kHi) {
      kLo -= 1;
      kHi += 1;
    }
    return new Axis(true, kLo, kHi, pixLo, pixHi);
  }

  /** Whether v can be drawn on this axis: finite, and positive on a log axis. */
  boolean accepts(double v) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  /** The pixel of a value (callers check {@link #accepts} first). */
  double toPixel(double v) {
    double u = log ? StrictMath.log10(v) : v;
    return pixLo + (u - lo) / (hi - lo) * (pixHi - pixLo);
  }

  /** The pixel clamped to the axis' extent (for marks partly outside the domain). */
  double toPixelClamped(double v) {
    double p = toPixel(v);
    double a = Math.min(pixLo, pixHi);
    double b = Math.max(pixLo, pixHi);
    return Math.max(a, Math.min(b, p));
  }

  List<Tick> ticks() {
    List<Tick> out = new ArrayList<>();
    if (log) {
      int kLo = (int) Math.max(lo, -400);
      int kHi = (int) Math.min(hi, 400);
      int step = Math.max(1, (int) Math.ceil((kHi - kLo) / 8.0));
      for (int k = kLo; k <= kHi; k++) {
        if (Math.floorMod(k, step) != 0) {
          continue;
        }
        double v = StrictMath.pow(10, k);
        double p = pixLo + (k - lo) / (hi - lo) * (pixHi - pixLo);
        out.add(new Tick(v, p, k == 0 ? "1" : "10^" + k, k));
      }
      return out;
    }
    double raw = (hi - lo) / 5;
    int e = (int) Math.floor(StrictMath.log10(raw));
    double f = raw / StrictMath.pow(10, e);
    int m;
    if (f < 1.5) {
      m = 1;
    } else if (f < 3.5) {
      m = 2;
    } else if (f < 7.5) {
      m = 5;
    } else {
      m = 1;
      e += 1;
    }
    BigDecimal step = BigDecimal.valueOf(m).scaleByPowerOfTen(e);
    double stepD = step.doubleValue();
    long kFirst = (long) Math.ceil(lo / stepD - 1e-9);
    long kLast = (long) Math.floor(hi / stepD + 1e-9);
    for (long k = kFirst; k <= kLast && out.size() < 50; k++) {
      BigDecimal vb = step.multiply(BigDecimal.valueOf(k));
      double v = vb.doubleValue();
      String label;
      if (k == 0) {
        label = "0";
      } else if (e >= -4 && e <= 5) {
        label = vb.stripTrailingZeros().toPlainString();
      } else {
        label = Text.sci(v, 3);
      }
      out.add(new Tick(v, toPixel(v), label, null));
    }
    return out;
  }
}
