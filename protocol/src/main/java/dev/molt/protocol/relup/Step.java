package dev.molt.protocol.relup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.molt.protocol.release.ReleaseId;
import dev.molt.protocol.release.StartType;
import dev.molt.protocol.release.SupervisorSpec;
import java.util.List;
import java.util.Map;

/**
 * A low-level step of a compiled script, OTP's {@code relup} language. Only {@link Load}, {@link
 * ApplyHook}, {@link Verify} and {@link Warm} may come before the {@link PointOfNoReturn}; a
 * failure there changes nothing. After it, a failure reverts the node in memory.
 *
 * <p>Scripts are compiled on the node that runs them; only their {@link RelupScript#render text}
 * crosses nodes. Fields added later are optional all the same (absent = the old meaning), so a
 * script written by an older node still reads.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Step.Load.class, name = "load"),
  @JsonSubTypes.Type(value = Step.Verify.class, name = "verify"),
  @JsonSubTypes.Type(value = Step.Warm.class, name = "warm"),
  @JsonSubTypes.Type(value = Step.PointOfNoReturn.class, name = "point-of-no-return"),
  @JsonSubTypes.Type(value = Step.MakeCurrent.class, name = "make-current"),
  @JsonSubTypes.Type(value = Step.Suspend.class, name = "suspend"),
  @JsonSubTypes.Type(value = Step.ChangeCode.class, name = "change-code"),
  @JsonSubTypes.Type(value = Step.Resume.class, name = "resume"),
  @JsonSubTypes.Type(value = Step.UpdateSupervisor.class, name = "update-supervisor"),
  @JsonSubTypes.Type(value = Step.StartChild.class, name = "start-child"),
  @JsonSubTypes.Type(value = Step.StopChild.class, name = "stop-child"),
  @JsonSubTypes.Type(value = Step.StopBehaviour.class, name = "stop-behaviour"),
  @JsonSubTypes.Type(value = Step.ApplyHook.class, name = "apply"),
  @JsonSubTypes.Type(value = Step.RestartApplication.class, name = "restart-application"),
  @JsonSubTypes.Type(value = Step.StartApplication.class, name = "start-application"),
  @JsonSubTypes.Type(value = Step.StopApplication.class, name = "stop-application"),
})
public sealed interface Step {

  /** One line for a plan preview. */
  String describe();

  /** OTP's {@code load_object_code}: the release's code is loaded (from the node's store). */
  record Load(ReleaseId release) implements Step {
    public String describe() {
      return "load " + release;
    }
  }

  /** The target's code migrates this behaviour between the two versions, both ways. */
  record Verify(String behaviour, int fromVersion, int toVersion) implements Step {
    public String describe() {
      return "verify " + behaviour + " v" + fromVersion + " <-> v" + toVersion;
    }
  }

  /** Each migration runs once on a sample state, so the actors' first swap is not a cold one. */
  record Warm(ReleaseId release) implements Step {
    public String describe() {
      return "warm " + release;
    }
  }

  record PointOfNoReturn() implements Step {
    public String describe() {
      return "point-of-no-return";
    }
  }

  /** Actors that start or restart from now on run {@code release} (OTP's {@code load} of new code). */
  record MakeCurrent(ReleaseId release) implements Step {
    public String describe() {
      return "make-current " + release;
    }
  }

  /**
   * OTP's {@code {suspend, [{Mod, Timeout}]}}, in order of dependency. {@code timeoutsMillis}: the
   * update instructions' own timeouts by behaviour; the others wait {@code molt.install.step-timeout}.
   */
  record Suspend(List<String> behaviours, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> timeoutsMillis)
      implements Step {
    public Suspend {
      behaviours = List.copyOf(behaviours);
      timeoutsMillis = timeoutsMillis == null ? Map.of() : Map.copyOf(timeoutsMillis);
    }

    public Suspend(List<String> behaviours) {
      this(behaviours, null);
    }

    /** The author's timeout for suspending {@code behaviour}, null for the node's default. */
    public Long timeoutMillis(String behaviour) {
      return timeoutsMillis.get(behaviour);
    }

    public String describe() {
      return "suspend " + behaviours + (timeoutsMillis.isEmpty() ? "" : " (timeout " + behaviours.stream()
          .filter(timeoutsMillis::containsKey).map(b -> b + " " + timeoutsMillis.get(b) + " ms").toList() + ")");
    }
  }

  /**
   * OTP's {@code load} plus {@code code_change}: every actor of {@code behaviour} moves to the
   * target release's code, its state migrated by the newer code. {@code order} records OTP's rule:
   * {@code load-then-migrate} going up, {@code migrate-then-load} going down (the newer code
   * migrates before the older code is loaded). {@code timeoutMillis}: the update instruction's own
   * timeout, null for {@code molt.install.step-timeout}.
   */
  record ChangeCode(String behaviour, int fromVersion, int toVersion, Direction direction, JsonNode extra, LoadOrder order,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long timeoutMillis) implements Step {

    public ChangeCode(String behaviour, int fromVersion, int toVersion, Direction direction, JsonNode extra,
        LoadOrder order) {
      this(behaviour, fromVersion, toVersion, direction, extra, order, null);
    }

    public String describe() {
      return "change-code " + behaviour + " v" + fromVersion + " -> v" + toVersion + " (" + direction + ", " + order
          + (extra == null || extra.isEmpty() ? "" : ", extra " + extra)
          + (timeoutMillis == null ? "" : ", timeout " + timeoutMillis + " ms") + ")";
    }
  }

  /** OTP's {@code {resume, Mods}}, in reverse order of dependency. */
  record Resume(List<String> behaviours) implements Step {
    public Resume {
      behaviours = List.copyOf(behaviours);
    }

    public String describe() {
      return "resume " + behaviours;
    }
  }

  /** The live supervisor takes the target's spec (strategy, intensity, child list). */
  record UpdateSupervisor(String supervisor, SupervisorSpec spec) implements Step {
    public String describe() {
      return "update-supervisor " + supervisor;
    }
  }

  /** OTP's {@code supervisor:restart_child}: starts a child the new spec adds. */
  record StartChild(String supervisor, String child) implements Step {
    public String describe() {
      return "start-child " + supervisor + "/" + child;
    }
  }

  /** OTP's {@code supervisor:terminate_child} plus {@code delete_child}: a child the target drops. */
  record StopChild(String supervisor, String child) implements Step {
    public String describe() {
      return "stop-child " + supervisor + "/" + child;
    }
  }

  /** OTP's {@code remove} + purge: actors still running a behaviour the target lacks are stopped. */
  record StopBehaviour(String behaviour) implements Step {
    public String describe() {
      return "stop-behaviour " + behaviour;
    }
  }

  /**
   * OTP's {@code {apply, {M, F, A}}}: the named hook of {@code release} runs. {@code release} is the
   * release that declares the instruction, the newer one in both directions (on a downgrade, the
   * one being left, still loaded).
   */
  record ApplyHook(String hook, ReleaseId release) implements Step {
    public String describe() {
      return "apply " + hook + " (" + release + ")";
    }
  }

  /**
   * OTP's {@code {apply, {application, start, [App, Type]}}}: the application's tree, as
   * {@code release} declares it, starts on the current release with the start type it declares.
   */
  record StartApplication(String application, StartType startType, ReleaseId release) implements Step {
    public String describe() {
      return "start-application " + application + " (" + startType.json() + ", " + release + ")";
    }
  }

  /** OTP's {@code {apply, {application, stop, [App]}}}: the application's tree stops, its actors with it. */
  record StopApplication(String application) implements Step {
    public String describe() {
      return "stop-application " + application;
    }
  }

  /** OTP's {@code restart_application}: every application's tree stops and the target's start. */
  record RestartApplication(ReleaseId release) implements Step {
    public String describe() {
      return "restart-application " + release;
    }
  }
}
