package org.flowcert.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;
import org.flowcert.output.JsonOutput;

/**
 * {@code DIR/shard.json} ("flowcert-sweep-shard/1"): which sweep a shard directory belongs to
 * (case, case hash, seed, canonical options), which shard it is (I of N), the sweep's total
 * draws and the rows the shard wrote.
 */
public record ShardManifest(SweepMeta meta, Shard shard, long total, long rows) {
  public static final String FORMAT = "flowcert-sweep-shard/1";
  public static final String FILE = "shard.json";

  /** The JSON object. */
  public Map<String, Object> map() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("case", meta.caseName());
    m.put("case_sha256", meta.caseSha256());
    m.put("seed", meta.seed());
    m.put("options", meta.options());
    m.put("shard", shard.index());
    m.put("shards", shard.count());
    m.put("total_draws", total);
    m.put("rows", rows);
    return m;
  }

  /** The JSON text, with a final line break. */
  public String json() {
    return JsonOutput.write(map()) + "\n";
  }

  /**
   * Reads {@code dir/shard.json}.
   *
   * @throws FlowcertException OPTION_INVALID naming the directory when it is missing or not a
   *     shard manifest
   */
  /** A manifest is a few hundred bytes; anything beyond this is not one. */
  static final long MAX_BYTES = 1 << 20;

  public static ShardManifest read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw bad(dir, "has no " + FILE + " (not a directory written by sweep --shard)");
    }
    try {
      JsonNode n = new ObjectMapper().readTree(org.flowcert.InputFiles.read(file, MAX_BYTES));
      if (n == null || !FORMAT.equals(n.path("format").asText())) {
        throw bad(dir, FILE + " is not of format " + FORMAT);
      }
      JsonNode o = n.path("options");
      List<String> vary = new ArrayList<>();
      for (JsonNode v : o.path("vary")) {
        vary.add(v.asText());
      }
      SweepMeta meta = new SweepMeta(text(n, "case"), text(n, "case_sha256"), n.path("seed").asLong(),
          Check.parse(text(o, "check")), o.path("draws").asLong(), vary, text(o, "redraw"),
          o.path("confidence").asDouble(), o.path("time").isNumber() ? o.path("time").asDouble() : null,
          o.path("steps").isNumber() ? o.path("steps").asInt() : null,
          o.path("lr").isNumber() ? o.path("lr").asDouble() : null,
          o.path("loss").isTextual() ? o.path("loss").asText() : "sum");
      return new ShardManifest(meta, new Shard(n.path("shard").asInt(), n.path("shards").asInt()),
          n.path("total_draws").asLong(), n.path("rows").asLong());
    } catch (org.flowcert.InputFiles.Refused e) {
      throw bad(dir, FILE + " cannot be read: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      if (e instanceof FlowcertException fe && fe.code() == ErrorCode.OPTION_INVALID
          && fe.getMessage().startsWith("merge: ")) {
        throw fe;
      }
      throw bad(dir, FILE + " cannot be read: " + e.getMessage());
    }
  }

  private static String text(JsonNode n, String key) {
    if (!n.path(key).isTextual()) {
      throw new IllegalArgumentException("no '" + key + "'");
    }
    return n.path(key).asText();
  }

  static FlowcertException bad(Path dir, String what) {
    return new FlowcertException(ErrorCode.OPTION_INVALID, "merge: " + dir + ": " + what);
  }
}
