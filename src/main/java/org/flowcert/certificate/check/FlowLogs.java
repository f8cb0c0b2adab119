package org.flowcert.certificate.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flow-logs of one certificate (FORMAT.md, CASE {@code flow_logs}): each case stores its logs
 * once, each under an {@code id}; a verdict's {@code flow-log} evidence item only names one. A
 * stored log's keys are checked when its case is read, its content ({@link FlowLogCheck}, the
 * replay and integration: the expensive part) once, when a verdict first refers to it; a
 * reference to no log of the verdict's case is refused, and so is a log no verdict refers to
 * (never replayed: refused anyway). One instance per certificate check, passed explicitly: the checker keeps no
 * state between certificates.
 */
final class FlowLogs {
  /** Case name, then id, to the stored log (its keys checked). */
  private final Map<String, Map<String, Map<String, Object>>> logs = new HashMap<>();
  /** Case name, then id, to where the log stands (for messages). */
  private final Map<String, Map<String, String>> places = new HashMap<>();
  /** Case name, then id, to the log once checked. */
  private final Map<String, Map<String, CheckedEvidence>> checked = new HashMap<>();
  /** Case name, then id, referenced by some verdict. */
  private final Map<String, java.util.Set<String>> used = new HashMap<>();

  /**
   * Reads and checks the {@code flow_logs} of one case ({@code json}, the CASE object; the key is
   * optional): a list of objects with distinct non-empty string {@code id}s.
   */
  void add(Object json, CertificateCase c) throws CheckFailure {
    Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
    logs.put(c.name(), byId);
    places.put(c.name(), new HashMap<>());
    checked.put(c.name(), new HashMap<>());
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
      byId.put(id, log);
      places.get(c.name()).put(id, w);
    }
  }

  /** The checked log a {@code flow-log} item ({kind, log}) of a verdict on case c names. */
  CheckedEvidence resolve(Map<String, Object> item, CertificateCase c) throws CheckFailure {
    Schema.keys(item, Schema.FLOW_LOG_REFERENCE, "");
    String id = Read.string(Read.field(item, "log", "flow-log"), "log");
    Map<String, Object> log = logs.getOrDefault(c.name(), Map.of()).get(id);
    if (log == null) {
      throw new CheckFailure("log \"" + id + "\" is not among case " + c.name() + "'s flow_logs");
    }
    used.get(c.name()).add(id);
    CheckedEvidence e = checked.get(c.name()).get(id);
    if (e == null) {
      try {
        e = new FlowLogCheck().check(log, c);
      } catch (CheckFailure f) {
        throw new CheckFailure(places.get(c.name()).get(id) + ": flow-log: " + f.getMessage());
      }
      checked.get(c.name()).put(id, e);
    }
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
