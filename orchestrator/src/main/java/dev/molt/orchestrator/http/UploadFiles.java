package dev.molt.orchestrator.http;

import dev.molt.node.release.ReleaseStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an upload is written while the node checks it. Its name is for errors: the node names a
 * refused bundle by its descriptor's name-version, else by the file name the client gave
 * ({@code Content-Disposition: attachment; filename="bank-2.0.0.molt"}), kept in a folder of its
 * own so that two uploads of one name do not meet; without one, by its size (the temp file's name,
 * {@code upload-<n>.molt}, means nothing to the user).
 */
final class UploadFiles {
  private static final Pattern FILENAME = Pattern.compile("filename\\s*=\\s*\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private UploadFiles() {}

  static Path create(Path uploads, Optional<String> contentDisposition) throws IOException {
    Optional<String> name = contentDisposition.flatMap(UploadFiles::clientName);
    if (name.isEmpty()) {
      return Files.createTempFile(uploads, "upload-", ".molt");
    }
    return Files.createTempDirectory(uploads, "upload-").resolve(name.get());
  }

  /** The client's file name without any folder, if it is a plain one; anything else is not used. */
  static Optional<String> clientName(String contentDisposition) {
    Matcher m = FILENAME.matcher(contentDisposition);
    if (!m.find()) {
      return Optional.empty();
    }
    String path = m.group(1).trim();
    String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    return SAFE.matcher(name).matches() && !name.contains("..") ? Optional.of(name) : Optional.empty();
  }

  /** Removes the upload and the folder made for it, if any. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
      Path folder = file.getParent();
      if (folder != null && folder.getFileName().toString().startsWith("upload-") && folder.getParent() != null
          && folder.getParent().getFileName().toString().equals(ReleaseStore.UPLOADS)) {
        Files.deleteIfExists(folder);
      }
    } catch (IOException ignored) {
      // An upload left behind is removed with the uploads folder at the next start; it holds no state.
    }
  }
}
