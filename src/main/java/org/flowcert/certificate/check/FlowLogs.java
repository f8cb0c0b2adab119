package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flow-logs of one certificate (FORMAT.md, CASE {@code flow_logs}): each case stores its logs
 * once, each under an {@code id}; a verdict's {@code flow-log} evidence item only names one. Every
 * stored log is checked once, when its case is read ({@link FlowLogCheck}); a reference resolves
 * to the checked log, a reference to no log of the verdict's case is refused, and so is a log no
 * verdict refers to. One instance per certificate check, passed explicitly: the checker keeps no
 * state between certificates.
 */
final class FlowLogs {
  /** Case name, then id, to the checked log. */
  private final Map<String, Map<String, CheckedEvidence>> logs = new HashMap<>();
  /** Case name, then id, referenced by some verdict. */
  private final Map<String, java.util.Set<String>> used = new HashMap<>();

  /**
   * Reads and checks the {@code flow_logs} of one case ({@code json}, the CASE object; the key is
   * optional): a list of objects with distinct non-empty string {@code id}s.
   */
  void add(Object json, CertificateCase c) throws CheckFailure {
    Map<String, CheckedEvidence> byId = new LinkedHashMap<>();
    logs.put(c.name(), byId);
    used.put(c.name(), new java.util.HashSet<>());
    Object list = Read.object(json, "case " + c.name()).get("flow_logs");
    if (list == null) {
      return;
    }
    String where = "case " + c.name() + ": flow_logs";
    List<Object> l = Read.list(list, where);
    for (int k = 0; k < l.size(); k++) {
      String w = where + "[" + k + "]";
      Map<String, Object> log = Read.object(l.get(k), w);
      String id = Read.string(Read.field(log, "id", w), w + ".id");
      if (id.isEmpty()) {
        throw new CheckFailure(w + ": empty id");
      }
      w = where + "[" + k + "] (id " + id + ")";
      if (byId.containsKey(id)) {
        throw new CheckFailure(w + ": a second log with this id");
      }
      Schema.keys(log, Schema.FLOW_LOG, w + ": ");
      Schema.flowLogNested(log, w + ": ");
      try {
        byId.put(id, new FlowLogCheck().check(log, c));
      } catch (CheckFailure f) {
        throw new CheckFailure(w + ": flow-log: " + f.getMessage());
      }
    }
  }

  /** The checked log a {@code flow-log} item ({kind, log}) of a verdict on case c names. */
  CheckedEvidence resolve(Map<String, Object> item, CertificateCase c) throws CheckFailure {
    Schema.keys(item, Schema.FLOW_LOG_REFERENCE, "");
    String id = Read.string(Read.field(item, "log", "flow-log"), "log");
    CheckedEvidence e = logs.getOrDefault(c.name(), Map.of()).get(id);
    if (e == null) {
      throw new CheckFailure("log \"" + id + "\" is not among case " + c.name() + "'s flow_logs");
    }
    used.get(c.name()).add(id);
    return e;
  }

  /** Refuses a stored log that no verdict refers to (evidence nothing rests on is not checked by a rule). */
  void requireAllUsed() throws CheckFailure {
    List<String> names = new ArrayList<>(logs.keySet());
    java.util.Collections.sort(names);
    for (String name : names) {
      for (String id : logs.get(name).keySet()) {
        if (!used.get(name).contains(id)) {
          throw new CheckFailure("case " + name + ": flow_logs: the log \"" + id
              + "\" is referred to by no verdict's flow-log evidence");
        }
      }
    }
  }
}
