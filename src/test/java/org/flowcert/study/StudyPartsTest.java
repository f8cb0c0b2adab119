package org.flowcert.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.junit.jupiter.api.Test;

class StudyPartsTest {
  @Test
  void varySplitsAtTopLevelCommasOnly() {
    Vary v = Vary.parse("init={draw: normal, std: 2},{draw: uniform, bound: 0.5}");
    assertEquals("init", v.key());
    assertEquals(List.of("{draw: normal, std: 2}", "{draw: uniform, bound: 0.5}"), v.values());
    assertEquals(List.of("4", "6", "8"), Vary.parse("data.samples=4, 6,8").values());
    FlowcertException e = assertThrows(FlowcertException.class, () -> Vary.parse("data.samples"));
    assertEquals(ErrorCode.OPTION_INVALID, e.code());
    assertThrows(FlowcertException.class, () -> Vary.parse("data.samples=4,,6"));
  }

  @Test
  void gridVariesTheFirstKeySlowest() {
    Grid g = new Grid(List.of(Vary.parse("a=1,2"), Vary.parse("b=x,y,z")));
    assertEquals(6, g.points());
    assertEquals(List.of("1", "x"), g.values(0));
    assertEquals(List.of("1", "z"), g.values(2));
    assertEquals(List.of("2", "x"), g.values(3));
    assertEquals(2L, Grid.settings(List.of("a", "b"), g.values(5)).get("a"));
    assertEquals(0.5, Grid.settings(List.of("a"), List.of("0.5")).get("a"));
    assertEquals("z", Grid.settings(List.of("a", "b"), g.values(5)).get("b"));
    assertThrows(FlowcertException.class, () -> new Grid(List.of(Vary.parse("a=1"), Vary.parse("a=2"))));
  }

  @Test
  void shardsPartitionTheDraws() {
    Shard s = Shard.parse("1/3");
    assertEquals(3, s.size(10)); // 1, 4, 7
    assertEquals(3, Shard.parse("2/3").size(10)); // 2, 5, 8
    assertEquals(4, Shard.parse("0/3").size(10)); // 0, 3, 6, 9
    assertEquals(0, Shard.parse("5/8").size(4));
    assertEquals(7, s.global(2));
    for (String bad : List.of("3/3", "-1/2", "1", "a/b", "0/0")) {
      assertThrows(FlowcertException.class, () -> Shard.parse(bad), bad);
    }
  }

  @Test
  void rowsReadBackToTheSameText() {
    double[] curve = new double[Check.CURVE_POINTS];
    for (int j = 0; j < curve.length; j++) {
      curve[j] = j == 3 ? Double.NaN : Math.exp(-j) / 3;
    }
    DrawRow r = new DrawRow(2, 7, -5, 9, List.of("8", "{a: 1, b: 2}"), 8, 3, 32, 16, 15, true,
        DrawRow.SINGULAR, "affine-region", -1.5e-17,
        new DrawRow.Trained(2.5, 0.125, 3, 1, Double.POSITIVE_INFINITY, false, false, "", curve));
    String line = RowCsv.format(r, Check.FLOW);
    assertEquals(line, RowCsv.format(RowCsv.parse(line, 2, Check.FLOW), Check.FLOW));
    assertEquals(RowCsv.header(List.of("a", "b"), Check.FLOW).split(",").length, line.split(",", -1).length);
    assertNull(RowCsv.parse(line.substring(0, line.length() / 2), 2, Check.FLOW));
    assertNull(RowCsv.parse(line, 2, Check.RANK));
  }

  @Test
  void quantilesAreNumpysLinearOnes() {
    // python3 -c 'import numpy as np; print(np.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.05, 0.25, 0.5, 0.75, 0.95]))'
    // [1.   1.75 3.5  5.25 7.95]
    double[] s = Stats.finiteSorted(new double[] {3, 1, 4, 1, 5, 9, 2, 6, Double.NaN}, 9);
    double[] expected = {1.0, 1.75, 3.5, 5.25, 7.95};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], Stats.quantile(s, Stats.LEVELS[i]), 1e-12);
    }
  }
}
