package org.flowcert.casefile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One field of a case file set to another value before the case is validated, as {@code flowcert
 * sweep --vary KEY=V1,V2,..} does for each grid point: {@code data.samples=12},
 * {@code network[0].dense=8}, {@code network[1].leaky_relu=0.2}, {@code init.seed=7}.
 *
 * <p>The key is a dotted path with list indices in brackets, as the loader's messages name fields;
 * the value is read as YAML (so {@code 12} is an integer, {@code 0.5} a number, {@code {draw:
 * normal, std: 2}} a map). A missing last map key is added; anything else on the path must exist.
 * The edited case is then validated like any case file, so a value that makes it invalid gets the
 * loader's one-line message.
 *
 * @param key the field's path as written by the user
 * @param value the value's text
 */
public record CaseOverride(String key, String value) {
  private static final Pattern STEP = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)((?:\\[\\d{1,9}\\])*)");

  /** {@code KEY=VALUE} as a user wrote it; null when it has no '='. */
  public static CaseOverride parse(String text) {
    int eq = text.indexOf('=');
    return eq <= 0 ? null : new CaseOverride(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
  }

  /** {@code key=value}, as the user would write it. */
  @Override
  public String toString() {
    return key + "=" + value;
  }

  /** Whether the key is a well-formed path ({@code a.b[0].c}). */
  public boolean wellFormed() {
    for (String part : key.split("\\.", -1)) {
      if (!STEP.matcher(part).matches()) {
        return false;
      }
    }
    return !key.isEmpty();
  }

  /**
   * Applies the override to the composed tree of {@code file}.
   *
   * @throws CaseException naming the override when its path does not exist
   */
  void apply(Path file, Node root) {
    if (!wellFormed()) {
      throw problem(file, "'" + key + "' is not a field path (write it as data.samples or network[0].dense)");
    }
    Node replacement = CaseYaml.compose(file, value.isEmpty() ? "''" : value);
    String[] parts = key.split("\\.");
    Node node = root;
    String at = "";
    for (int p = 0; p < parts.length; p++) {
      Matcher m = STEP.matcher(parts[p]);
      m.matches();
      String name = m.group(1);
      List<Integer> indices = indices(m.group(2));
      boolean last = p == parts.length - 1;
      if (!(node instanceof MappingNode map)) {
        throw problem(file, "'" + at + "' is not a map, so it has no field '" + name + "'");
      }
      at = at.isEmpty() ? name : at + "." + name;
      NodeTuple tuple = find(map, name);
      if (tuple == null) {
        if (last && indices.isEmpty()) {
          map.getValue().add(new NodeTuple(new ScalarNode(Tag.STR, name, null, null, org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN), replacement));
          return;
        }
        throw problem(file, "the case has no field '" + at + "'");
      }
      if (last && indices.isEmpty()) {
        replace(map, tuple, replacement);
        return;
      }
      node = tuple.getValueNode();
      for (int q = 0; q < indices.size(); q++) {
        int i = indices.get(q);
        if (!(node instanceof SequenceNode seq) || i >= seq.getValue().size()) {
          int size = node instanceof SequenceNode seq ? seq.getValue().size() : 0;
          throw problem(file, "'" + at + "' has no item [" + i + "]"
              + (node instanceof SequenceNode ? " (it has " + size + ")" : " (it is not a list)"));
        }
        at = at + "[" + i + "]";
        if (last && q == indices.size() - 1) {
          seq.getValue().set(i, replacement);
          return;
        }
        node = seq.getValue().get(i);
      }
    }
  }

  private CaseException problem(Path file, String what) {
    return new CaseException(file, 0, key, "cannot apply '" + this + "': " + what);
  }

  private static NodeTuple find(MappingNode map, String name) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Replaces a map value, keeping the original's position so messages point at its line. */
  private static void replace(MappingNode map, NodeTuple tuple, Node replacement) {
    Node old = tuple.getValueNode();
    Node value = replacement;
    if (replacement instanceof ScalarNode s) {
      value = new ScalarNode(s.getTag(), s.getValue(), old.getStartMark(), old.getEndMark(), s.getScalarStyle());
    }
    int i = map.getValue().indexOf(tuple);
    map.getValue().set(i, new NodeTuple(tuple.getKeyNode(), value));
  }

  private static List<Integer> indices(String brackets) {
    List<Integer> out = new ArrayList<>();
    Matcher m = Pattern.compile("\\[(\\d+)\\]").matcher(brackets);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }
}
