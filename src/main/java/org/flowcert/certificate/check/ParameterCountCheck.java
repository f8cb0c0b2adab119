package org.flowcert.certificate.check;

import java.math.BigInteger;
import java.util.Map;

/**
 * {@code parameter-count}: the paper's parameter count recomputed from the network layer by
 * layer, equal to the stated value and to P, with the architecture named as the case's.
 */
final class ParameterCountCheck implements EvidenceCheck {
  @Override
  public String kind() {
    return "parameter-count";
  }

  @Override
  public CheckedEvidence check(Map<String, Object> e, CertificateCase c) throws CheckFailure {
    String arch = Read.string(Read.field(e, "architecture", "evidence"), "architecture");
    Read.string(Read.field(e, "formula", "evidence"), "formula");
    String expected = c.has("gcn") ? "gcn" : c.has("attention") ? "attention"
        : c.has("conv1d") || c.has("conv2d") ? "cnn"
        : c.has("residual") ? "resnet" : "dense";
    if (!arch.equals(expected)) {
      throw new CheckFailure("architecture is " + arch + ", the network is " + expected);
    }
    long count = 0;
    for (CertificateCase.Layer l : c.layers()) {
      count += switch (l.kind()) {
        case "dense" -> (long) l.out() * (l.in() + 1);
        case "residual" -> (long) l.out() * l.out() + l.out();
        case "gcn" -> (long) l.out() * (l.in() + c.samples());
        case "prelu" -> 1;
        // C_out C_in prod(kernel) + C_out (the bias), from the layer's own reading.
        case "conv1d", "conv2d" -> convCount(l.conv());
        // Wq, Wk (k x d each) and Wv (v x d): 2 k d + v d, from the layer's own reading.
        case "attention" -> 2L * l.attention().keyDim * l.attention().features
            + (long) l.attention().valueDim * l.attention().features;
        default -> 0;
      };
    }
    BigInteger value = Read.integer(Read.field(e, "value", "evidence"), "value");
    if (!value.equals(BigInteger.valueOf(count))) {
      throw new CheckFailure("value is " + value + ", the count is " + count);
    }
    if (count != c.parameters()) {
      throw new CheckFailure("the count " + count + " is not P = " + c.parameters());
    }
    return new CheckedEvidence(kind(), e, null, null, null, -1, 0, null);
  }

  /** The paper's count of a convolution: C_out C_in prod(kernel) weights, plus C_out biases. */
  private static long convCount(CheckerConv cv) {
    return (long) cv.outChannels * cv.inChannels * cv.kernelVolume + (cv.hasBias ? cv.outChannels : 0);
  }
}
