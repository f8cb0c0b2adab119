package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.flowcert.ErrorCode;
import org.flowcert.network.LayerSpec;
import org.junit.jupiter.api.Test;

/** Overridden fields (sweep's --vary), separate data and init seeds, and re-draws of a case. */
class CaseOverrideTest {
  static final String BASE = String.join("\n",
      "name: t",
      "seed: 5",
      "data:",
      "  samples: 4",
      "  input_dim: 3",
      "  output_dim: 1",
      "  inputs: {draw: normal, std: 1.0}",
      "  labels: {draw: normal, std: 1.0}",
      "network:",
      "  - dense: 4",
      "  - leaky_relu: 0.1",
      "  - dense: 1",
      "init: {draw: kaiming-uniform}",
      "");
  static final Path FILE = Path.of("t.yaml");

  static CaseSpec with(String... overrides) {
    return CaseLoader.parse(BASE, FILE, Arrays.stream(overrides).map(CaseOverride::parse).toList());
  }

  @Test
  void overridesSetSizesWidthsSlopesAndNewSeeds() {
    CaseSpec s = with("data.samples=9", "network[0].dense=7", "network[1].leaky_relu=0.25", "init.seed=11");
    assertEquals(9, s.data().samples());
    assertEquals(7, ((LayerSpec.Dense) s.network().get(0)).width());
    assertEquals(7 * 3 + 7 + 7 + 1, CaseMaterializer.materialize(s).parameters());
    assertTrue(s.network().get(1).toString().contains("0.25"), s.network().get(1).toString());
    assertEquals(11, s.initSeed());
    assertEquals(5, s.dataSeed());
  }

  @Test
  void badPathsAndValuesAreCaseErrorsNamingTheOverride() {
    CaseException e = assertThrows(CaseException.class, () -> with("network[5].dense=3"));
    assertEquals(ErrorCode.CASE_INVALID, e.code());
    assertTrue(e.getMessage().contains("network[5].dense=3"), e.getMessage());
    e = assertThrows(CaseException.class, () -> with("data.nope.x=3"));
    assertTrue(e.getMessage().contains("data.nope"), e.getMessage());
    e = assertThrows(CaseException.class, () -> with("data.samples=0"));
    assertEquals("data.samples", e.field());
    assertFalse(new CaseOverride("data..x", "1").wellFormed());
  }

  @Test
  void dataAndInitSeedsDrawTheirSectionsApart() {
    CaseInstance a = CaseMaterializer.materialize(with());
    CaseInstance b = CaseMaterializer.materialize(with("init.seed=99"));
    assertArrayEquals(a.flatInputs(), b.flatInputs());
    assertFalse(Arrays.equals(a.theta0(), b.theta0()));
    CaseInstance c = CaseMaterializer.materialize(with("data.seed=99"));
    assertArrayEquals(a.theta0(), c.theta0());
    assertFalse(Arrays.equals(a.flatInputs(), c.flatInputs()));
    // an explicit seed equal to the case's gives the case itself
    assertArrayEquals(a.theta0(), CaseMaterializer.materialize(with("init.seed=5", "data.seed=5")).theta0());
  }

  @Test
  void drawsAreIndependentReproducibleAndRedrawOnlyWhatIsAsked() {
    CaseSpec s = with();
    List<CaseInstance> draws = List.of(
        CaseMaterializer.materialize(s.draw(0, CaseSpec.Redraw.ALL)),
        CaseMaterializer.materialize(s.draw(1, CaseSpec.Redraw.ALL)));
    assertFalse(Arrays.equals(draws.get(0).theta0(), draws.get(1).theta0()));
    assertFalse(Arrays.equals(draws.get(0).flatInputs(), draws.get(1).flatInputs()));
    assertArrayEquals(draws.get(1).theta0(), CaseMaterializer.materialize(s.draw(1, CaseSpec.Redraw.ALL)).theta0());
    CaseInstance initOnly = CaseMaterializer.materialize(s.draw(1, CaseSpec.Redraw.INIT));
    assertArrayEquals(CaseMaterializer.materialize(s).flatInputs(), initOnly.flatInputs());
    assertArrayEquals(draws.get(1).theta0(), initOnly.theta0());
    CaseInstance dataOnly = CaseMaterializer.materialize(s.draw(1, CaseSpec.Redraw.DATA));
    assertArrayEquals(CaseMaterializer.materialize(s).theta0(), dataOnly.theta0());
    assertArrayEquals(draws.get(1).flatInputs(), dataOnly.flatInputs());
    // a re-draw is a case with those seeds written in the file
    CaseSpec d = s.draw(3, CaseSpec.Redraw.ALL);
    CaseInstance viaFile = CaseMaterializer.materialize(with("data.seed=" + d.dataSeed(), "init.seed=" + d.initSeed()));
    assertArrayEquals(CaseMaterializer.materialize(d).theta0(), viaFile.theta0());
    assertArrayEquals(CaseMaterializer.materialize(d).flatInputs(), viaFile.flatInputs());
    assertNotEquals(d.dataSeed(), d.initSeed());
  }
}
