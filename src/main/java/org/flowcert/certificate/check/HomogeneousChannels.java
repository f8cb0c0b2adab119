package org.flowcert.certificate.check;

import java.util.Arrays;
import java.util.List;

/**
 * The scaling symmetry of one hidden channel (FORMAT.md, {@code homogeneous-units} {@code
 * channels}), read off the checker's own conv index tables ({@link CheckerConv}): the conv layer
 * that produces the channel (through avg_pool layers), the positively homogeneous activation, and
 * the dense or conv layer that reads it (through avg_pool and flatten layers). Scaling the
 * channel's parameters by t > 0 multiplies exactly the channel's units by t up to the reader, and
 * dividing the reader's weights that read those units by t undoes it; the direction is (those
 * parameters, minus the reader's weights), exact, and its bias is a coordinate it alone touches.
 */
final class HomogeneousChannels {
  private HomogeneousChannels() {}

  /**
   * A scaling direction: the parameters scaled by t (+theta) and by 1/t (-theta), and the
   * private coordinates (biases: a non-zero one makes the direction independent of the others).
   */
  record Direction(int[] up, int[] down, int[] biases) {}

  /**
   * Channel {@code channel} of activation layer {@code act} (0-based).
   *
   * @throws CheckFailure naming {@code w} when the layers around it do not give the symmetry
   */
  static Direction of(CertificateCase c, int act, int channel, String w) throws CheckFailure {
    List<CertificateCase.Layer> layers = c.layers();
    int p = act - 1;
    while (p >= 0 && layers.get(p).kind().equals("avg_pool")) {
      p--;
    }
    if (p < 0 || !isKernel(layers.get(p)) || !layers.get(p).conv().hasBias) {
      throw new CheckFailure(w + ": layer " + (act + 1) + " is not fed by a conv layer with bias "
          + "(through avg_pool layers only)");
    }
    CheckerConv prod = layers.get(p).conv();
    if (channel < 0 || channel >= prod.outChannels) {
      throw new CheckFailure(w + ": channel " + channel + " is not in [0, " + (prod.outChannels - 1) + "]");
    }
    // The channel's units: output units of channel `channel` (C order: channel-major).
    int perChannel = prod.outWidth / prod.outChannels;
    boolean[] unitSet = new boolean[prod.outWidth];
    Arrays.fill(unitSet, channel * perChannel, (channel + 1) * perChannel, true);
    // Its parameters: every weight and bias of those units; they must touch no other unit.
    boolean[] mine = new boolean[prod.parameters];
    for (int o = 0; o < prod.outWidth; o++) {
      if (unitSet[o]) {
        for (int q : prod.weight[o]) {
          mine[q] = true;
        }
        mine[prod.bias[o]] = true;
      }
    }
    for (int o = 0; o < prod.outWidth; o++) {
      if (!unitSet[o] && (mine[prod.bias[o]] || Arrays.stream(prod.weight[o]).anyMatch(q -> mine[q]))) {
        throw new CheckFailure(w + ": the channel's parameters also feed unit " + o);
      }
    }
    boolean[] set = unitSet;
    int q = p + 1;
    boolean passed = false;
    for (; q < layers.size(); q++) {
      CertificateCase.Layer l = layers.get(q);
      if (q == act) {
        if (!HomogeneousUnitsCheck.homogeneous(l)) {
          throw new CheckFailure(w + ": layer " + (act + 1) + " (" + l.kind()
              + ") is not a positively homogeneous activation");
        }
        passed = true;
      } else if (l.kind().equals("avg_pool")) {
        set = pooled(l.conv(), set, w);
      } else if (!(passed && l.kind().equals("flatten"))) {
        break;
      }
    }
    if (!passed || q >= layers.size()
        || !(isKernel(layers.get(q)) || layers.get(q).kind().equals("dense"))) {
      throw new CheckFailure(w + ": layer " + (act + 1) + " is not read by a dense or conv layer "
          + "(through avg_pool and flatten layers only)");
    }
    CertificateCase.Layer skip = c.skipReading(p + 1, q);
    if (skip != null) {
      throw new CheckFailure(w + ": an " + skip.kind() + " item reads the output of layer "
          + skip.skip().boundary + ", between the channel's conv layer and its reader, which the scaling changes");
    }
    CertificateCase.Layer rd = layers.get(q);
    int[] down;
    if (rd.kind().equals("dense")) {
      // W[r][j] multiplies input j only
      down = new int[rd.out() * count(set)];
      int k = 0;
      for (int r = 0; r < rd.out(); r++) {
        for (int j = 0; j < rd.in(); j++) {
          if (set[j]) {
            down[k++] = rd.offset() + r * rd.in() + j;
          }
        }
      }
    } else {
      // the weights that multiply the channel's units, and nothing else (weight sharing)
      CheckerConv cv = rd.conv();
      int[] reads = new int[cv.parameters]; // 0 unused, 1 reads the channel, 2 reads other units
      for (int o = 0; o < cv.outWidth; o++) {
        for (int t = 0; t < cv.in[o].length; t++) {
          reads[cv.weight[o][t]] |= set[cv.in[o][t]] ? 1 : 2;
        }
      }
      int k = 0;
      down = new int[cv.parameters];
      for (int r = 0; r < cv.parameters; r++) {
        if (reads[r] == 3) {
          throw new CheckFailure(w + ": weight " + r + " of layer " + (q + 1)
              + " reads the channel and other units");
        }
        if (reads[r] == 1) {
          down[k++] = rd.offset() + r;
        }
      }
      down = Arrays.copyOf(down, k);
    }
    int n = 0;
    int[] up = new int[prod.parameters];
    for (int r = 0; r < prod.parameters; r++) {
      if (mine[r]) {
        up[n++] = layers.get(p).offset() + r;
      }
    }
    int bias = layers.get(p).offset() + prod.bias[channel * perChannel];
    return new Direction(Arrays.copyOf(up, n), down, new int[] {bias});
  }

  /** The pooled units reading only the set; a window reading the set and other units is refused. */
  private static boolean[] pooled(CheckerConv pool, boolean[] set, String w) throws CheckFailure {
    boolean[] out = new boolean[pool.outWidth];
    for (int o = 0; o < pool.outWidth; o++) {
      int inside = 0;
      for (int i : pool.in[o]) {
        inside += set[i] ? 1 : 0;
      }
      if (inside != 0 && inside != pool.in[o].length) {
        throw new CheckFailure(w + ": a pooling window mixes the channel with other units");
      }
      out[o] = inside != 0;
    }
    return out;
  }

  private static int count(boolean[] set) {
    int k = 0;
    for (boolean b : set) {
      k += b ? 1 : 0;
    }
    return k;
  }

  private static boolean isKernel(CertificateCase.Layer l) {
    return l.kind().equals("conv1d") || l.kind().equals("conv2d");
  }
}
