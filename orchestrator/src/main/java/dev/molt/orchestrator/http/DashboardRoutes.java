package dev.molt.orchestrator.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.Uri;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /molt/ui/}: the dashboard, three static files from the orchestrator's jar
 * ({@code molt/ui/}). The page reads the open routes ({@code /molt/cluster}, {@code /molt/releases},
 * {@code /molt/rollouts}, {@code /molt/events}) and sends controls to the 🔒 routes with the
 * credentials the user signs in with, so the page itself is open like the other read routes and
 * holds no secret. Nothing is fetched from elsewhere: the Content-Security-Policy allows only this
 * origin.
 */
final class DashboardRoutes extends AllDirectives {
  private static final String DIRECTORY = "molt/ui/";
  /** The files served, a closed set: any other name is a 404 without touching the class path. */
  private static final Map<String, ContentType> ASSETS = Map.of(
      "index.html", ContentTypes.TEXT_HTML_UTF8,
      "dashboard.js", MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8),
      "dashboard.css", MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8));
  private static final List<HttpHeader> HEADERS = List.of(
      RawHeader.create("Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      // The files change with Molt's version; a node upgraded in place must not serve yesterday's page.
      RawHeader.create("Cache-Control", "no-cache"));

  Route routes() {
    return pathPrefix("ui", () -> get(() -> concat(
        // Relative, so the page's own relative URLs (dashboard.js, ../events) work behind a proxy's prefix.
        pathEnd(() -> redirect(Uri.create("ui/"), StatusCodes.MOVED_PERMANENTLY)),
        pathSingleSlash(() -> asset("index.html")),
        path(PathMatchers.segment(), name -> ASSETS.containsKey(name) ? asset(name) : reject()))));
  }

  private Route asset(String name) {
    return respondWithHeaders(HEADERS, () -> getFromResource(DIRECTORY + name, ASSETS.get(name)));
  }
}
