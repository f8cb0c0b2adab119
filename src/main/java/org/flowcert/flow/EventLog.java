package org.flowcert.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * The boundary events of one flow in the order they happened: crossings, sliding episodes (open
 * ones with end NaN) and points of non-uniqueness. Written by the {@link SlideResolver} only.
 */
final class EventLog {
  private final List<Crossing> crossings = new ArrayList<>();
  private final List<Slide> slides = new ArrayList<>();
  private final List<NonUniqueness> nonUnique = new ArrayList<>();

  List<Crossing> crossings() {
    return crossings;
  }

  List<Slide> slides() {
    return slides;
  }

  List<NonUniqueness> nonUniqueness() {
    return nonUnique;
  }

  void crossing(Crossing c) {
    crossings.add(c);
  }

  void nonUnique(NonUniqueness n) {
    nonUnique.add(n);
  }

  /** Opens a slide on b at t; returns its index. */
  int startSlide(double t, Boundary b) {
    slides.add(new Slide(t, Double.NaN, b, null));
    return slides.size() - 1;
  }

  /** Closes slide {@code index} at t, exiting to {@code side} ("left" or "right"). */
  void endSlide(int index, double t, String side) {
    Slide old = slides.get(index);
    slides.set(index, new Slide(old.start(), t, old.boundary(), side));
  }

  /** Reopens slide {@code index} (exited and re-entered at one time: the slide continues). */
  void continueSlide(int index) {
    Slide old = slides.get(index);
    slides.set(index, new Slide(old.start(), Double.NaN, old.boundary(), null));
  }
}
