package org.flowcert.certificate;

import org.flowcert.exact.RankCheck;
import org.flowcert.exact.RankReport;
import org.flowcert.network.ActivationPattern;
import org.flowcert.network.Evaluator;
import org.flowcert.network.Network;
import org.flowcert.numeric.DoubleAlgebra;
import org.flowcert.numeric.Ntk;

/**
 * The binary64 side of the rank check: J by the generic evaluator over doubles and the spectrum
 * of G by EJML's symmetric eigensolver ({@link Ntk}). Composed here, above both {@code exact}
 * and {@code numeric}, so that neither depends on the other.
 */
public enum Binary64Side implements RankCheck.FloatingSide {
  INSTANCE;

  @Override
  public double[][] jacobian(Network net, double[] x, double[] theta, ActivationPattern pattern) {
    Evaluator<Double> ev = new Evaluator<>(net, DoubleAlgebra.INSTANCE);
    Double[] th = DoubleAlgebra.box(theta);
    Evaluator.Trace<Double> tr = ev.forward(th, DoubleAlgebra.box(x), pattern);
    Object[][] j = ev.jacobian(tr, th);
    double[][] out = new double[j.length][];
    for (int r = 0; r < j.length; r++) {
      out[r] = DoubleAlgebra.unbox(j[r]);
    }
    return out;
  }

  @Override
  public RankReport.Spectrum spectrum(double[][] j) {
    Ntk.Spectrum s = Ntk.spectrum(j);
    return new RankReport.Spectrum(s.lambdaMin(), s.lambdaMax(), s.tolerance(), s.numericalRank());
  }
}
