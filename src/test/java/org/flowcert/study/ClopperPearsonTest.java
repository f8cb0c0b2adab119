package org.flowcert.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClopperPearsonTest {
  /*
   * Reference values from scipy 1.17.1:
   * python3 -c 'from scipy.stats import beta
   * for c in (0.95,0.99):
   *   a=1-c
   *   for x,n in ((0,20),(3,20),(20,20),(49,100)):
   *     lo=0.0 if x==0 else beta.ppf(a/2,x,n-x+1); hi=1.0 if x==n else beta.ppf(1-a/2,x+1,n-x)
   *     print(c,x,n,repr(float(lo)),repr(float(hi)))'
   */
  @ParameterizedTest
  @CsvSource({
      "0.95, 0, 20, 0.0, 0.1684334709830853",
      "0.95, 3, 20, 0.032070937185463715, 0.37892682654531396",
      "0.95, 20, 20, 0.8315665290169147, 1.0",
      "0.95, 49, 100, 0.3886441651616378, 0.5919636708445463",
      "0.99, 0, 20, 0.0, 0.23272950098907447",
      "0.99, 3, 20, 0.01764263795419471, 0.449465406739486",
      "0.99, 20, 20, 0.7672704990109255, 1.0",
      "0.99, 49, 100, 0.3593750322941694, 0.6216025708659385"})
  void matchesScipy(double confidence, long x, long n, double low, double high) {
    ClopperPearson.Interval ci = ClopperPearson.interval(x, n, confidence);
    assertEquals(low, ci.low(), 1e-12);
    assertEquals(high, ci.high(), 1e-12);
    if (x == 0) {
      assertEquals(0.0, ci.low());
    }
    if (x == n) {
      assertEquals(1.0, ci.high());
    }
  }
}
