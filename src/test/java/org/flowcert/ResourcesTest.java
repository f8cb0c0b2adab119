package org.flowcert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  @Test
  void hugeCountsArePowersNotMillionsOfDigits() {
    assertEquals("2^4000000", Resources.count(BigInteger.ONE.shiftLeft(4_000_000)));
    assertEquals("12345", Resources.count(BigInteger.valueOf(12345)));
    assertEquals("1152921504606846975", Resources.count(BigInteger.ONE.shiftLeft(60).subtract(BigInteger.ONE)));
    // 3^1000 = 1.32e477, against BigDecimal's own rounding (an independent computation).
    BigInteger t = BigInteger.valueOf(3).pow(1000);
    BigDecimal d = new BigDecimal(t).round(new MathContext(3));
    assertEquals("about " + d.unscaledValue().toString().charAt(0) + "." + d.unscaledValue().toString().substring(1)
        + "e+" + (d.precision() - d.scale() - 1), Resources.count(t));
  }

  @Test
  void aNeedAboveTheBudgetIsRefusedWithTheLimitAndTheFix() {
    Resources.requireMemory("x", 799, "y", 1000);
    FlowcertException e = assertThrows(FlowcertException.class, () -> Resources.requireMemory("J (2 x 3 entries)", 801, "use fewer samples", 1000));
    assertEquals(ErrorCode.RESOURCE_REFUSED, e.code());
    assertTrue(e.getMessage().startsWith("J (2 x 3 entries) needs about 801 B of memory"), e.getMessage());
    assertTrue(e.getMessage().contains("use fewer samples") && e.getMessage().contains("-Xmx"), e.getMessage());
    assertEquals("6.3 GB", Resources.bytes(6.3e9));
  }
}
