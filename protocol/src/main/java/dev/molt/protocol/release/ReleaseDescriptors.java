package dev.molt.protocol.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads, validates and writes release descriptors. */
public final class ReleaseDescriptors {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern JAVA_CLASS =
      Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  // Strict on purpose: a typo in a descriptor field must not pass silently.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private ReleaseDescriptors() {}

  public static ReleaseDescriptor parse(byte[] json) throws InvalidDescriptorException {
    ReleaseDescriptor d;
    try {
      d = MAPPER.readValue(json, ReleaseDescriptor.class);
    } catch (JsonProcessingException e) {
      throw new InvalidDescriptorException(List.of("malformed JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidDescriptorException(List.of("unreadable: " + e.getMessage()));
    }
    if (d == null) {
      throw new InvalidDescriptorException(List.of("empty document"));
    }
    List<String> problems = problems(d);
    if (!problems.isEmpty()) {
      throw new InvalidDescriptorException(problems);
    }
    return d;
  }

  public static byte[] write(ReleaseDescriptor descriptor) {
    try {
      return MAPPER.writeValueAsBytes(descriptor);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write descriptor " + descriptor.id(), e);
    }
  }

  /** Every problem of a descriptor, empty when it is valid. */
  public static List<String> problems(ReleaseDescriptor d) {
    List<String> problems = new ArrayList<>();
    if (d.name() == null || !NAME.matcher(d.name()).matches()) {
      problems.add("name '" + d.name() + "' must match " + NAME.pattern());
    }
    if (!ReleaseVersion.isValid(d.version())) {
      problems.add("version '" + d.version() + "' must be MAJOR.MINOR.PATCH[-qualifier]");
    }
    if (d.behaviours().isEmpty()) {
      problems.add("behaviours must list at least one behaviour");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < d.behaviours().size(); i++) {
      BehaviourSpec b = d.behaviours().get(i);
      String at = "behaviours[" + i + "]";
      if (b == null) {
        problems.add(at + " is null");
        continue;
      }
      if (b.name() == null || !NAME.matcher(b.name()).matches()) {
        problems.add(at + ".name '" + b.name() + "' must match " + NAME.pattern());
      } else if (!seen.add(b.name())) {
        problems.add(at + ".name '" + b.name() + "' is listed twice");
      }
      if (b.version() < 1) {
        problems.add(at + ".version must be >= 1, was " + b.version());
      }
      if (b.entryClass() == null || !JAVA_CLASS.matcher(b.entryClass()).matches()) {
        problems.add(at + ".entryClass '" + b.entryClass() + "' is not a Java class name");
      }
    }
    return problems;
  }
}
