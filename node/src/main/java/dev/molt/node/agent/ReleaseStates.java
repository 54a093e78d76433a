package dev.molt.node.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.molt.protocol.release.ReleaseId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which release is permanent, which is current and which are old, kept in {@code RELEASES.json}
 * in the store (OTP's {@code RELEASES} file), written atomically at every change. A restart reads
 * the permanent one.
 */
final class ReleaseStates {
  private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  static final String FILE = "RELEASES.json";

  private record Saved(String permanent, String current, Set<String> old) {}

  private final Path file;
  private ReleaseId permanent;
  private ReleaseId current;
  private final Set<ReleaseId> old = new TreeSet<>();

  private ReleaseStates(Path file) {
    this.file = file;
  }

  static ReleaseStates open(Path storeRoot) {
    ReleaseStates states = new ReleaseStates(storeRoot.resolve(FILE));
    if (Files.isRegularFile(states.file)) {
      try {
        Saved saved = MAPPER.readValue(states.file.toFile(), Saved.class);
        states.permanent = saved.permanent() == null ? null : ReleaseId.parse(saved.permanent());
        states.current = saved.current() == null ? null : ReleaseId.parse(saved.current());
        if (saved.old() != null) {
          saved.old().forEach(o -> states.old.add(ReleaseId.parse(o)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + states.file, e);
      }
    }
    return states;
  }

  Optional<ReleaseId> permanent() {
    return Optional.ofNullable(permanent);
  }

  Optional<ReleaseId> current() {
    return Optional.ofNullable(current);
  }

  String statusOf(ReleaseId id) {
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
      MAPPER.writeValue(tmp.toFile(), new Saved(
          permanent == null ? null : permanent.toString(),
          current == null ? null : current.toString(),
          old.stream().map(ReleaseId::toString).collect(java.util.stream.Collectors.toCollection(TreeSet::new))));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
