package org.flowcert.casefile;

import java.io.StringReader;
import java.nio.file.Path;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * From checked text to the YAML node tree (with line marks), under limits that keep a hostile
 * file cheap: aliases, nesting and size are bounded, merge keys stay plain keys. Invalid YAML or
 * an empty document is a {@link CaseException} on the whole file.
 */
final class CaseYaml {
  /** SnakeYAML's own guard, in code points. */
  static final int MAX_CODE_POINTS = 4 << 20;
  /** Aliases are legitimate (reusing a piecewise definition) but a billion-laughs is not. */
  static final int MAX_ALIASES = 50;
  /** The deepest legitimate structure is 6 levels (network / item / piecewise / pieces / row). */
  static final int MAX_NESTING = 32;

  private CaseYaml() {}

  static Node compose(Path file, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false); // compose does not check this: Reader does, with lines
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setMergeOnCompose(false); // '<<' stays a key, refused as unknown
    options.setProcessComments(false);
    DumperOptions dumper = new DumperOptions();
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options), new Representer(dumper), dumper, options, new Resolver());
    Node root;
    try {
      root = yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? " (" + e.getContext().trim() + ")" : "";
      throw new CaseException(
          file,
          mark == null ? 0 : mark.getLine() + 1,
          CaseException.WHOLE_FILE,
          "not valid YAML: " + problem.trim() + context,
          e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new CaseException(
          file, 0, CaseException.WHOLE_FILE, "not valid YAML: " + CaseException.describe(e), e);
    }
    if (root == null
        || (root instanceof ScalarNode s
            && Tag.NULL.equals(s.getTag())
            && s.getValue().isEmpty())) {
      throw new CaseException(
          file, 0, CaseException.WHOLE_FILE, "empty: no YAML document (see CONTRACT.md)");
    }
    return root;
  }
}
