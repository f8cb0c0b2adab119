package org.flowcert.certificate.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of evidence kinds: every kind of format 1 and its check, listed once. */
final class EvidenceChecks {
  private static final List<EvidenceCheck> ALL = List.of(
      new PatternCheck(),
      new NonzeroMinorModPCheck(),
      new NullVectorsCheck(),
      new AffineRegionCheck(),
      new HomogeneousUnitsCheck(),
      new AttentionGaugeCheck(),
      new IdentityBlockCheck(),
      new AllPatternsCheck(),
      new SchwartzZippelCheck(),
      new ParameterCountCheck(),
      new FlowLogCheck(),
      new IntervalMinorCheck(),
      new GramDominationCheck(),
      new GdExceptionalStepsCheck(),
      new FlowEnclosureCheck());

  private static final Map<String, EvidenceCheck> BY_KIND = byKind();

  private EvidenceChecks() {}

  private static Map<String, EvidenceCheck> byKind() {
    Map<String, EvidenceCheck> m = new LinkedHashMap<>();
    for (EvidenceCheck check : ALL) {
      if (m.put(check.kind(), check) != null) {
        throw new IllegalStateException("evidence kind " + check.kind() + " registered twice");
      }
    }
    return m;
  }

  /** The check of a kind, or null when the format has no such kind. */
  static EvidenceCheck forKind(String kind) {
    return BY_KIND.get(kind);
  }

  /** Every kind's name, in the registry's order. */
  static List<String> kinds() {
    return List.copyOf(BY_KIND.keySet());
  }
}
