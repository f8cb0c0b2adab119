package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flowcert.certificate.check.CertificateChecker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate of the shipped skip-connection cases (conv-resnet-block: add; unet-concat:
 * concat) checks, and the checker (its own skip reading, CheckerSkip) refuses it when a {@code
 * from} index is moved (to an item of the same shape, or to a later item), when add and concat
 * are swapped, when the shapes no longer fit, and when any exact witness is changed. Bad skip
 * spellings in a case file exit 2 with one line.
 */
class SkipCertificateTest {
  static String text;
  static JsonNode cert;

  @BeforeAll
  static void certify(@TempDir Path dir) throws Exception {
    text = CliRun.certified(dir, "cases/conv-resnet-block.yaml", "cases/unet-concat.yaml",
        "--time", "1", "--no-compare", "--draws", "0");
    cert = CertifyCommandTest.JSON.readTree(text);
  }

  private static ObjectNode copy() throws Exception {
    return (ObjectNode) CertifyCommandTest.JSON.readTree(text);
  }

  private static ObjectNode item(JsonNode c, String caseName, int index, String kind) {
    return (ObjectNode) CertifyCommandTest.findCase(c, caseName).get("network").get(index).get(kind);
  }

  private static CertificateChecker.Result check(JsonNode c) throws Exception {
    return CertificateChecker.check("mutated", CertifyCommandTest.JSON.writeValueAsString(c));
  }

  @Test
  void theCertificateListsTheSkipsAndChecks() throws Exception {
    assertEquals("{\"from\":\"input\"}", item(cert, "conv-resnet-block", 3, "add").toString());
    assertEquals("{\"from\":1}", item(cert, "unet-concat", 4, "concat").toString());
    // P from the closed forms: skips have no parameters; the 1x1 conv reads 2 channels.
    assertEquals(2 * (9 + 1) + 16 + 1,
        CertifyCommandTest.findCase(cert, "conv-resnet-block").get("parameters").asInt());
    assertEquals(2 * (9 + 1) + (2 + 1) + 16 + 1,
        CertifyCommandTest.findCase(cert, "unet-concat").get("parameters").asInt());
    CertificateChecker.Result r = CertificateChecker.check("ok", text);
    assertEquals(CertificateChecker.Status.VALID, r.status(), r.line());
  }

  /**
   * Found by the tampering campaign: 24 concats, each of the item before, double the channels up
   * to 32 x 2^24 entries per sample; the checker names the item instead of building it.
   */
  @Test
  void aConcatChainTooWideIsRefusedByName() throws Exception {
    ObjectNode c = copy();
    ArrayNode net = (ArrayNode) CertifyCommandTest.findCase(c, "unet-concat").get("network");
    for (int i = 5; i < 5 + 24; i++) {
      net.insertObject(i).putObject("concat").put("from", i - 1);
    }
    CertificateChecker.Result r = check(c);
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("network[24]: its output row has 33554432 entries per sample"), r.line());
  }

  /** A source of the same shape: the network is another function, its evidence no longer fits. */
  @Test
  void aMovedFromIndexIsRefused() throws Exception {
    ObjectNode c = copy();
    item(c, "conv-resnet-block", 3, "add").put("from", 0);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    item(c, "unet-concat", 4, "concat").put("from", 3);
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    item(c, "unet-concat", 4, "concat").put("from", "input");
    CertifyCommandTest.assertInvalid(c);

    c = copy();
    item(c, "unet-concat", 4, "concat").put("from", 4); // itself: not an earlier item
    CertificateChecker.Result r = check(c);
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("concat.from"), r.line());
  }

  @Test
  void swappedKindsAndWrongShapesAreRefused() throws Exception {
    ObjectNode c = copy();
    ArrayNode net = (ArrayNode) CertifyCommandTest.findCase(c, "conv-resnet-block").get("network");
    ObjectNode cat = CertifyCommandTest.JSON.createObjectNode();
    cat.set("concat", net.get(3).get("add"));
    net.set(3, cat);
    CertifyCommandTest.assertInvalid(c);

    // padding 0 shrinks item 2's map to [1, 2, 2]: the add from the [1, 4, 4] input no longer fits
    // (the parameter count is unchanged)
    c = copy();
    ArrayNode pad = (ArrayNode) item(c, "conv-resnet-block", 2, "conv2d").get("padding");
    pad.set(0, CertifyCommandTest.JSON.getNodeFactory().numberNode(0));
    pad.set(1, CertifyCommandTest.JSON.getNodeFactory().numberNode(0));
    CertificateChecker.Result r = check(c);
    assertEquals(CertificateChecker.Status.INVALID, r.status(), r.line());
    assertTrue(r.line().contains("add") && r.line().contains("[1, 2, 2]"), r.line());
  }

  @Test
  void everyExactWitnessIsGuarded() throws Exception {
    for (String name : new String[] {"conv-resnet-block", "unet-concat"}) {
      String one = CertifyCommandTest.JSON.writeValueAsString(CertifyCommandTest.caseOnly(cert, name));
      assertTrue(CertifyCommandTest.mutateExactWitnesses(one) > 0, name);
    }
  }

  @Test
  void badSkipsExitTwoWithOneLine(@TempDir Path dir) throws Exception {
    String[][] bad = {
      {"concat: {from: 1}", "concat: {from: 4}", "network[4].concat.from"},
      {"concat: {from: 1}", "concat: {from: 7}", "network[4].concat.from"},
      {"concat: {from: 1}", "concat: {from: -1}", "network[4].concat.from"},
      {"concat: {from: 1}", "concat: {from: one}", "network[4].concat.from"},
      {"concat: {from: 1}", "concat: {form: 1}", "network[4].concat"},
      {"concat: {from: 1}", "concat", "network[4]"},
      // item 2 without padding: [1, 2, 2] cannot take channels from the [1, 4, 4] item 1
      {"padding: 1}   # 2", "padding: 0}   # 2", "network[4].concat"},
      // item 7's output is flat: a feature map and a flat row cannot be added
      {"  - dense: 1", "  - add: {from: 1}\n  - dense: 1", "network[8].add"},
      {"  - dense: 1", "  - dense: 3\n  - add: {from: 7}\n  - dense: 1", "network[9].add"},
    };
    CliRun.assertEditsRefused(Path.of("cases/unet-concat.yaml"), dir, bad);
    // the short spelling is the same network
    Path f = dir.resolve("short.yaml");
    Files.writeString(f, Files.readString(Path.of("cases/unet-concat.yaml")).replace("concat: {from: 1}", "concat: 1"));
    CliRun a = CliRun.of("rank", f.toString(), "--json");
    CliRun b = CliRun.of("rank", "cases/unet-concat.yaml", "--json");
    assertEquals(0, a.code(), a.err());
    assertEquals(b.out().replaceAll("\"(case_file|sha256|case_sha256)\"[^,]*,", ""),
        a.out().replaceAll("\"(case_file|sha256|case_sha256)\"[^,]*,", ""));
  }
}
