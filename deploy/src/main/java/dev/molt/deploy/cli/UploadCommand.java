package dev.molt.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code moltctl upload BUNDLE}: {@code POST /molt/releases}; the node verifies, stores and distributes it. */
@Command(name = "upload", mixinStandardHelpOptions = true,
    description = "Upload a release bundle (.molt): verified and stored on the node, then sent to every other node.")
final class UploadCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "BUNDLE", description = "the .molt file")
  Path bundle;

  @Override
  Exit run() {
    HttpRequest.BodyPublisher body;
    try {
      if (!Files.isRegularFile(bundle)) {
        throw new FileNotFoundException();
      }
      body = HttpRequest.BodyPublishers.ofFile(bundle);
    } catch (FileNotFoundException e) {
      throw new CliFailure("no bundle at " + bundle);
    }
    JsonNode stored = api().post(connection().resolve("/molt/releases"), "application/octet-stream", body)
        .require(201, "upload of " + bundle.getFileName() + " refused");
    out().println("uploaded " + stored.path("name").asText() + "-" + stored.path("version").asText() + " sha256="
        + stored.path("sha256").asText() + " stored on " + stored.path("storedOn")
        + (stored.path("failedOn").isEmpty() ? "" : ", FAILED on " + stored.path("failedOn")));
    return stored.path("failedOn").isEmpty() ? Exit.OK : Exit.ERROR;
  }
}
