package dev.molt.orchestrator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload keeps the plain file name its client gave, in a folder of its own; anything else gets a temp name. */
class UploadFilesTest {
  @TempDir Path store;

  @Test
  void theClientsPlainFileNameIsKept() {
    assertEquals(Optional.of("bank-2.0.0.molt"), UploadFiles.clientName("attachment; filename=\"bank-2.0.0.molt\""));
    assertEquals(Optional.of("bank-2.0.0.molt"), UploadFiles.clientName("attachment; filename=bank-2.0.0.molt"));
    assertEquals(Optional.of("bank.molt"), UploadFiles.clientName("attachment; filename=\"C:\\\\builds\\\\bank.molt\""));
    assertEquals(Optional.of("bank.molt"), UploadFiles.clientName("attachment; filename=\"../../bank.molt\""));
  }

  @Test
  void namesThatAreNotPlainAreNotUsed() {
    assertEquals(Optional.empty(), UploadFiles.clientName("attachment"));
    assertEquals(Optional.empty(), UploadFiles.clientName("attachment; filename=\"..\""));
    assertEquals(Optional.empty(), UploadFiles.clientName("attachment; filename=\"bank 2.molt\""));
    assertEquals(Optional.empty(), UploadFiles.clientName("attachment; filename=\"" + "a".repeat(200) + "\""));
  }

  @Test
  void aNamedUploadGetsAFolderOfItsOwnAndIsRemovedWithIt() throws IOException {
    Path uploads = Files.createDirectories(store.resolve("uploads"));
    Path named = UploadFiles.create(uploads, Optional.of("attachment; filename=\"bank-2.0.0.molt\""));
    Path unnamed = UploadFiles.create(uploads, Optional.empty());
    Files.writeString(named, "x");

    assertEquals("bank-2.0.0.molt", named.getFileName().toString());
    assertEquals(uploads, named.getParent().getParent());
    assertEquals(uploads, unnamed.getParent());
    assertTrue(unnamed.getFileName().toString().startsWith("upload-"), unnamed.toString());

    UploadFiles.delete(named);
    UploadFiles.delete(unnamed);
    assertFalse(Files.exists(named.getParent()), "its folder is gone");
    assertFalse(Files.exists(unnamed));
    assertTrue(Files.isDirectory(uploads), "the uploads folder stays");
  }
}
