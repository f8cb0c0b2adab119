package org.flowcert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loss: mean} from the command line: every output names its loss; the certificate records it. */
class LossCommandsTest {
  private static Path meanCase(Path dir) throws Exception {
    Path f = dir.resolve("dense-tanh-mean.yaml");
    Files.writeString(f, Files.readString(Path.of("cases/dense-tanh.yaml")) + "loss: mean\n");
    return f;
  }

  @Test
  void descendAndFlowReportTheirLossAndItsScale(@TempDir Path dir) throws Exception {
    Path mean = meanCase(dir);
    ObjectMapper om = new ObjectMapper();
    JsonNode dm = om.readTree(CliRun.of("descend", mean.toString(), "--steps", "10", "--lr", "0.6", "--kernel", "java",
        "--json", "-q").out());
    // nM = 12: s = 1/6; lr 0.6 on the mean loss is lr 0.1 on the sum loss.
    JsonNode ds = om.readTree(CliRun.of("descend", "cases/dense-tanh.yaml", "--steps", "10", "--lr", String.valueOf(0.6 * (2.0 / 12)),
        "--kernel", "java", "--json", "-q").out());
    assertEquals("mean", dm.path("loss").asText());
    assertEquals(2.0 / 12, dm.path("loss_scale").asDouble(), 0.0);
    assertEquals("sum", ds.path("loss").asText());
    assertEquals(2.0 / 12 * ds.path("final_loss").asDouble(), dm.path("final_loss").asDouble(), 0.0);
    CliRun text = CliRun.of("flow", mean.toString(), "--time", "1", "-q");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("loss           mean: mean of squares"), text.out());
    assertTrue(text.out().contains("exp(-0.166667 x "), text.out());
    JsonNode fm = om.readTree(CliRun.of("flow", mean.toString(), "--time", "1", "--json", "-q").out());
    assertEquals("mean", fm.path("loss").asText());
  }

  @Test
  void sweepSummaryNamesTheLossOfItsPoints(@TempDir Path dir) throws Exception {
    Path mean = meanCase(dir);
    ObjectMapper om = new ObjectMapper();
    JsonNode s = om.readTree(CliRun.of("sweep", mean.toString(), "--draws", "2", "--check", "descend", "--lr", "0.1",
        "--steps", "5", "--json", "-q").out());
    assertEquals("mean", s.path("loss").asText());
    assertEquals("mean", s.path("options").path("loss").asText());
    JsonNode both = om.readTree(CliRun.of("sweep", mean.toString(), "--draws", "1", "--vary", "loss=sum,mean",
        "--json", "-q").out());
    assertEquals("sum,mean", both.path("loss").asText());
  }

  @Test
  void certificateRecordsTheConventionAndTheCheckerRecomputesItsScale(@TempDir Path dir) throws Exception {
    Path mean = meanCase(dir);
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("certify", mean.toString(), "--out", out.toString(), "--draws", "0", "--no-compare", "-q");
    assertEquals(0, r.code(), r.err());
    Path cert = out.resolve("certificate.json");
    String json = Files.readString(cert);
    assertTrue(json.contains("\"loss\" : \"mean\"") || json.contains("\"loss\":\"mean\""), "loss recorded");
    assertEquals(0, CliRun.of("check", cert.toString()).code());
    String scale = Double.toString(2.0 / 12);
    assertTrue(json.contains(scale), "loss_scale " + scale);
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, json.replace(scale, Double.toString(1.0 / 12)));
    CliRun c = CliRun.of("check", bad.toString());
    assertEquals(1, c.code());
    assertTrue(c.out().contains("loss_scale") || c.err().contains("loss_scale"), c.out() + c.err());
    Files.writeString(bad, json.replace("\"mean\"", "\"median\""));
    assertEquals(1, CliRun.of("check", bad.toString()).code());
  }
}
