package org.flowcert.casefile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {

  @Test
  void distanceCountsEditsAndAdjacentSwapsIgnoringCase() {
    assertEquals(0, Spelling.distance("Draw", "draw"));
    assertEquals(1, Spelling.distance("darw", "draw"));
    assertEquals(1, Spelling.distance("std", "stdd"));
    assertEquals(3, Spelling.distance("", "std"));
  }

  @Test
  void suggestsOnlyPlausibleTypos() {
    assertEquals("; did you mean 'samples'?", Spelling.suggestion("sampels", DataSection.DATA_KEYS));
    assertEquals("; did you mean 'radius'?", Spelling.suggestion("raduis", List.of("radius")));
    // 'mean' is 3 edits from 'draw': suggesting it would only mislead.
    assertEquals("", Spelling.suggestion("mean", List.of("draw", "values")));
  }

  @Test
  void closestTakesTheFirstOnTies() {
    assertEquals("ab", Spelling.closest("a", List.of("ab", "ac")));
  }
}
