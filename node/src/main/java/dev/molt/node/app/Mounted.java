package dev.molt.node.app;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.japi.function.Function;
import dev.molt.node.release.LoadedRelease;
import dev.molt.protocol.release.ReleaseId;
import java.util.concurrent.CompletionStage;

/** What the application port serves right now: one release's routes, or nothing and why. */
sealed interface Mounted {

  /** The release whose routes these are, or null when none. */
  ReleaseId release();

  /**
   * A release's sealed routes as a request handler; holds that release's code until replaced. Each
   * request uses {@code code} while in flight, so a purge cannot close the loader under it.
   */
  record Serving(ReleaseId release, LoadedRelease code, Function<HttpRequest, CompletionStage<HttpResponse>> handler)
      implements Mounted {}

  /** 503 with {@code reason}: no release is current, or the current one has no routes. */
  record Unavailable(ReleaseId release, String reason) implements Mounted {}
}
