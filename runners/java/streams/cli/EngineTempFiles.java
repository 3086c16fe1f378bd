package streams.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The 22 MB jar of Flink's RPC system, which Flink unpacks into the temporary folder ({@code
 * flink-rpc-akka*.jar}) at every start of an embedded mini-cluster and deletes when that mini-cluster has
 * shut down. The shutdown runs on Flink's own threads after the job's result is in, for batch jobs too, so a
 * command line that exits at once could leave the file behind (one was left by a 100 000-event batch run).
 * When the command line's JVM ends (its exit or SIGTERM; nothing runs on SIGKILL), the RPC jars it still has
 * open are deleted: found among the process's open files ({@code /proc/self/fd}, Linux), so a jar of another
 * process is never touched. Elsewhere nothing is done.
 */
final class EngineTempFiles {
  private EngineTempFiles() {}

  /** Deletes this process's open RPC jars when the JVM ends. */
  static void deleteWhenTheJvmEnds() {
    Runtime.getRuntime().addShutdownHook(new Thread(EngineTempFiles::deleteOpenRpcJars, "delete-flink-rpc-jar"));
  }

  /** The RPC jars this process has open, deleted; returns how many. */
  static int deleteOpenRpcJars() {
    Path fds = Paths.get("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return 0;
    }
    Path tmp = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    int deleted = 0;
    try (DirectoryStream<Path> open = Files.newDirectoryStream(fds)) {
      for (Path fd : open) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (isUnpackedRpcJar(target, tmp) && Files.deleteIfExists(target)) {
            deleted++;
          }
        } catch (IOException | RuntimeException e) {
          // closed meanwhile, or not a file
        }
      }
    } catch (IOException | RuntimeException e) {
      // no listing: nothing deleted
    }
    return deleted;
  }

  /**
   * A jar Flink unpacked: directly in the temporary folder, named {@code flink-rpc-akka} + a random UUID +
   * {@code .jar}. Nothing else matches: not the loader's own {@code flink-rpc-akka-loader-1.19.0.jar} on a
   * class path (a looser pattern deleted it from the local Maven repository), not a file shown as {@code
   * "... (deleted)"}.
   */
  static boolean isUnpackedRpcJar(Path file, Path tmp) {
    Path name = file.getFileName();
    return name != null
        && tmp.equals(file.toAbsolutePath().normalize().getParent())
        && name.toString().matches("flink-rpc-akka[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.jar");
  }
}
