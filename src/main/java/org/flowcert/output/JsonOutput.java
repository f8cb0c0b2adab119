package org.flowcert.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import org.flowcert.ErrorCode;
import org.flowcert.FlowcertException;

/**
 * The one JSON rendering of flowcert: ordered maps in, one pretty-printed object out. A double is
 * written as Jackson writes it (the shortest decimal that reads back as the same double); a
 * non-finite double (NaN, infinities) is written as {@code null}, the one rule for non-finite
 * numbers in JSON.
 */
public final class JsonOutput {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new SimpleModule("non-finite-as-null")
          .addSerializer(Double.class, new FiniteOrNull())
          .addSerializer(double.class, new FiniteOrNull())
          .addSerializer(double[].class, new FiniteOrNullArray()));

  private JsonOutput() {}

  /** Pretty-printed JSON of {@code value} (maps, lists, strings, numbers, booleans, null). */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new FlowcertException(ErrorCode.INTERNAL, "JSON output: " + e.getOriginalMessage());
    }
  }

  /** A double as a JSON value: itself when finite, null otherwise (for trees built by hand). */
  public static Object number(double v) {
    return Double.isFinite(v) ? (Object) v : null;
  }

  private static final class FiniteOrNullArray extends StdSerializer<double[]> {
    private static final long serialVersionUID = 1L;

    FiniteOrNullArray() {
      super(double[].class);
    }

    @Override
    public void serialize(double[] v, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartArray();
      for (double d : v) {
        if (Double.isFinite(d)) {
          gen.writeNumber(d);
        } else {
          gen.writeNull();
        }
      }
      gen.writeEndArray();
    }
  }

  private static final class FiniteOrNull extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    FiniteOrNull() {
      super(Double.class);
    }

    @Override
    public void serialize(Double v, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (Double.isFinite(v)) {
        gen.writeNumber(v);
      } else {
        gen.writeNull();
      }
    }
  }
}
