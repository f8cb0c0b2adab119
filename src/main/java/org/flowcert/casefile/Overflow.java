package org.flowcert.casefile;

import org.flowcert.network.ActivationSpec;
import org.flowcert.network.LayerSpec;

/**
 * The one line for a case whose numbers are finite but too large for binary64 to compute with
 * (values near 1e308): it names the case file, the field holding the largest magnitude (the one
 * that overflowed: a data value, an initial parameter, a draw's scale, an activation
 * coefficient) and the first computation it broke. Exit 2, before any long computation.
 */
public final class Overflow {
  private Overflow() {}

  /**
   * The error for {@code inst}, whose {@code broken} quantity (in words, from {@code
   * org.flowcert.numeric.Finiteness}) is not finite.
   */
  public static CaseException of(CaseInstance inst, String broken) {
    Largest m = new Largest();
    CaseSpec s = inst.spec();
    draw(m, "data.inputs", s.data().inputs());
    draw(m, "data.labels", s.data().labels());
    if (s.init() instanceof CaseSpec.InitSpec.Values v) {
      double[] t = v.values();
      String base = v.origin() == null ? "init.values" : "init.file (" + v.origin().path() + ")";
      for (int q = 0; q < t.length; q++) {
        m.offer(base + "[" + q + "]", t[q]);
      }
    } else if (s.init() instanceof CaseSpec.InitSpec.Normal n) {
      m.offer("init.std", n.std());
    } else if (s.init() instanceof CaseSpec.InitSpec.Uniform u) {
      m.offer("init.bound", u.bound());
    }
    for (int i = 0; i < s.network().size(); i++) {
      if (s.network().get(i) instanceof LayerSpec.Act a) {
        String path = "network[" + i + "]";
        if (a.activation() instanceof ActivationSpec.PRelu p) {
          m.offer(path + ".prelu", p.initialSlope());
        } else if (a.activation() instanceof ActivationSpec.Piecewise pw) {
          double[][] pieces = pw.pieces();
          for (int k = 0; k < pieces.length; k++) {
            for (int c = 0; c < pieces[k].length; c++) {
              m.offer(path + ".piecewise.pieces[" + k + "][" + c + "]", pieces[k][c]);
            }
          }
          double[] knots = pw.knots();
          for (int k = 0; k < knots.length; k++) {
            m.offer(path + ".piecewise.knots[" + k + "]", knots[k]);
          }
        }
      }
    }
    String field = m.path == null ? "network" : m.path;
    String value = m.path == null ? "" : " (" + m.value + ")";
    return new CaseException(s.source(), 0, field,
        "value too large for binary64" + value + ": " + broken + " overflows; keep magnitudes well below 1e308");
  }

  private static void draw(Largest m, String path, CaseSpec.Draw d) {
    if (d instanceof CaseSpec.Draw.Values v) {
      double[][] rows = v.rows();
      String base = v.origin() == null ? path + ".values" : path + ".file (" + v.origin().path() + ")";
      for (int i = 0; i < rows.length; i++) {
        for (int j = 0; j < rows[i].length; j++) {
          m.offer(base + "[" + i + "][" + j + "]", rows[i][j]);
        }
      }
    } else if (d instanceof CaseSpec.Draw.Normal n) {
      m.offer(path + ".std", n.std());
    } else if (d instanceof CaseSpec.Draw.UniformCube c) {
      m.offer(path + ".half_width", c.halfWidth());
    } else if (d instanceof CaseSpec.Draw.UniformBall b) {
      m.offer(path + ".radius", b.radius());
    }
  }

  /** The field of largest magnitude seen so far (the first on ties). */
  private static final class Largest {
    String path;
    double value;

    void offer(String p, double v) {
      if (path == null || Math.abs(v) > Math.abs(value)) {
        path = p;
        value = v;
      }
    }
  }
}
