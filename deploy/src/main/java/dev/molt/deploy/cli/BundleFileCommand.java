package dev.molt.deploy.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A local command on a bundle file ({@code sign}, {@code verify}): no node is asked. */
abstract class BundleFileCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BUNDLE", description = "the .molt file")
  Path bundle;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    if (!Files.isRegularFile(bundle)) {
      throw new CliFailure("no bundle at " + bundle);
    }
    return run().code;
  }

  abstract Exit run();

  PrintWriter stdout() {
    return spec.commandLine().getOut();
  }
}
