package org.flowcert.casefile;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.flowcert.InputFiles;

/**
 * From a case file's bytes to text a YAML parser may see: readable, small, strict UTF-8 without
 * NUL bytes or control characters; anything else is a {@link CaseException} on the whole file,
 * with the line of the offending byte or character when there is one.
 */
final class CaseText {
  /** Files larger than this are refused before parsing (a case is small by design; the one limit). */
  static final int MAX_BYTES = 4 << 20;

  private CaseText() {}

  /** The file's text: read, size-checked and decoded (not yet {@link #checkCharacters}). */
  static String read(Path file) {
    return decode(file, bytes(file));
  }

  private static byte[] bytes(Path file) {
    if (file == null) {
      throw new CaseException(null, 0, CaseException.WHOLE_FILE, "cannot read: no file given");
    }
    try {
      return InputFiles.read(file, MAX_BYTES);
    } catch (InputFiles.Refused e) {
      throw new CaseException(file, 0, CaseException.WHOLE_FILE,
          e.tooLarge() ? "too large for a case file (more than " + MAX_BYTES + " bytes, the limit)"
              : "cannot read: " + e.getMessage(), e);
    }
  }

  /** Strict UTF-8: a NUL byte or an invalid sequence means this is not a text case file. */
  private static String decode(Path file, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new CaseException(
            file,
            lineOfByte(bytes, i),
            CaseException.WHOLE_FILE,
            "binary file (NUL byte at byte offset " + i + "), not a YAML case");
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      int at = in.position();
      throw new CaseException(
          file,
          lineOfByte(bytes, at),
          CaseException.WHOLE_FILE,
          "not UTF-8 text (invalid byte sequence at byte offset " + at + "), not a YAML case");
    }
    out.flip();
    String text = out.toString();
    // A UTF-8 byte order mark is allowed by YAML; drop it so it cannot reach the parser twice.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static int lineOfByte(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  /**
   * Refuses characters YAML does not allow in a stream (control characters): checked here so the
   * message carries a line rather than the parser's character index.
   */
  static String checkCharacters(Path file, String text) {
    if (text == null) {
      throw new CaseException(file, 0, CaseException.WHOLE_FILE, "no text given");
    }
    int line = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c == 0) {
        throw new CaseException(
            file, line, CaseException.WHOLE_FILE, "binary file (NUL character), not a YAML case");
      }
      boolean printable =
          c == '\t'
              || c == '\n'
              || c == '\r'
              || (c >= 0x20 && c <= 0x7E)
              || c == 0x85
              || (c >= 0xA0 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD)
              || (c >= 0x10000 && c <= 0x10FFFF);
      if (!printable) {
        throw new CaseException(
            file,
            line,
            CaseException.WHOLE_FILE,
            String.format("control character U+%04X is not allowed in a YAML case", c));
      }
      if (c == '\n') {
        line++;
      }
      i += Character.charCount(c);
    }
    return text;
  }
}
