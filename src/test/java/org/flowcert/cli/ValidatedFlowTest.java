package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowcert.ErrorCode;
import org.junit.jupiter.api.Test;

/**
 * {@code flow --validated}: the JSON summary on leaky-crossings (two crossings, each enclosed in
 * a time interval around the floating flow's crossing times 0.10875 and 0.26071, the bound
 * proved with lambda0 >= 1.33, below the floating minimum 1.33358), and exit 3 with one line at
 * a slide.
 */
class ValidatedFlowTest {
  @Test
  void leakyCrossingsIsProved() throws Exception {
    CliRun r = CliRun.of("flow", "cases/leaky-crossings.yaml", "--validated", "--json", "-q");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertTrue(j.get("complete").asBoolean());
    assertTrue(j.get("bound_proved").asBoolean());
    double l = j.get("lambda_min_lower").asDouble();
    assertTrue(l > 1.33 && l <= 1.333583, "lambda " + l);
    assertEquals(2, j.get("crossings").size());
    double[] floatTimes = {0.108748618, 0.260707001};
    for (int k = 0; k < 2; k++) {
      JsonNode c = j.get("crossings").get(k);
      assertTrue(c.get("t_low").asDouble() <= floatTimes[k] + 1e-9 && floatTimes[k] - 1e-9 <= c.get("t_high").asDouble(),
          c.toString());
    }
    assertTrue(j.get("final_max_width").asDouble() < 1e-8);
    assertTrue(j.get("float_end_distance").asDouble() < 1e-9);
  }

  @Test
  void slideExitsThreeWithOneLine() {
    CliRun r = CliRun.of("flow", "cases/flow-slide.yaml", "--validated", "-q");
    assertEquals(3, r.code());
    assertEquals(ErrorCode.FLOW_STOPPED, r.error());
    assertTrue(r.err().contains("slide at t = 0.0314"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
