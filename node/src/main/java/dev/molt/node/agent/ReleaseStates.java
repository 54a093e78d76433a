package dev.molt.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.molt.protocol.control.ReleaseStatus;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which release is permanent, which is current and which are old, kept in {@code RELEASES.json}
 * in the store (OTP's {@code RELEASES} file), written atomically at every change. A restart reads
 * the permanent one.
 *
 * <p>Each release is written as {@code {"name": .., "version": ..}}, never as the printed
 * {@code name-version}, so nothing on disk has to be split again. A file in the earlier form
 * (printed ids) is still read, and rewritten in this form when the store opens.
 */
final class ReleaseStates {
  private static final Logger log = LoggerFactory.getLogger(ReleaseStates.class);
  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  static final String FILE = "RELEASES.json";

  private record Saved(ReleaseId permanent, ReleaseId current, Set<ReleaseId> old) {}

  private final Path file;
  private ReleaseId permanent;
  private ReleaseId current;
  private final Set<ReleaseId> old = new TreeSet<>();

  private ReleaseStates(Path file) {
    this.file = file;
  }

  static ReleaseStates open(Path storeRoot) {
    ReleaseStates states = new ReleaseStates(storeRoot.resolve(FILE));
    if (!Files.isRegularFile(states.file)) {
      return states;
    }
    JsonNode saved;
    try {
      saved = MAPPER.readTree(states.file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + states.file, e);
    }
    boolean printed = states.read(saved);
    if (printed) {
      states.save();
      log.info("{}: rewritten with names and versions apart (permanent {}, current {}, old {})", states.file,
          states.permanent, states.current, states.old);
    }
    return states;
  }

  /** Reads the saved states; true when the file held printed ids (the earlier form). */
  private boolean read(JsonNode saved) {
    List<JsonNode> olds = new ArrayList<>();
    saved.path("old").forEach(olds::add);
    try {
      permanent = idOf(saved.get("permanent"));
      current = idOf(saved.get("current"));
      olds.forEach(o -> old.add(idOf(o)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return saved.path("permanent").isTextual() || saved.path("current").isTextual()
        || olds.stream().anyMatch(JsonNode::isTextual);
  }

  private static ReleaseId idOf(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    // The earlier form; unambiguous since a release name never ends in a version.
    return node.isTextual() ? ReleaseId.parse(node.asText()) : MAPPER.convertValue(node, ReleaseId.class);
  }

  Optional<ReleaseId> permanent() {
    return Optional.ofNullable(permanent);
  }

  Optional<ReleaseId> current() {
    return Optional.ofNullable(current);
  }

  ReleaseStatus statusOf(ReleaseId id) {
    if (id.equals(permanent)) {
      return ReleaseStatus.PERMANENT;
    }
    if (id.equals(current)) {
      return ReleaseStatus.CURRENT;
    }
    return old.contains(id) ? ReleaseStatus.OLD : ReleaseStatus.UNPACKED;
  }

  /** A node boots its permanent release: that is what is current after a restart. */
  void booted() {
    if (current != null && !current.equals(permanent)) {
      old.add(current);
    }
    current = permanent;
    save();
  }

  /** The first release a node runs is permanent at once: nothing older exists to go back to. */
  void firstInstall(ReleaseId id) {
    permanent = id;
    current = id;
    old.remove(id);
    save();
  }

  void installed(ReleaseId target) {
    if (current != null && !current.equals(permanent) && !current.equals(target)) {
      old.add(current);
    }
    current = target;
    old.remove(target);
    save();
  }

  void makePermanent(ReleaseId id) {
    if (!id.equals(current)) {
      throw new IllegalStateException("only the current release can be made permanent; current is " + current);
    }
    if (permanent != null && !permanent.equals(id)) {
      old.add(permanent);
    }
    permanent = id;
    old.remove(id);
    save();
  }

  void removed(ReleaseId id) {
    old.remove(id);
    save();
  }

  private void save() {
    try {
      Path tmp = file.resolveSibling(FILE + ".tmp");
      MAPPER.writeValue(tmp.toFile(), new Saved(permanent, current, old));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
