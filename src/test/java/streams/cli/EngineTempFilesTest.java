package streams.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which open files the command line deletes when its JVM ends: Flink's unpacked RPC jars, nothing else. */
class EngineTempFilesTest {
  private static final Path TMP = Path.of("/tmp");

  @Test
  void onlyTheJarFlinkUnpackedIntoTheTemporaryFolder() {
    assertTrue(EngineTempFiles.isUnpackedRpcJar(Path.of("/tmp/flink-rpc-akkad82c3ba7-c413-4395-b45c-530510c80b47.jar"), TMP));
    // The loader's jar on a test class path (in the local Maven repository), and look-alikes.
    assertFalse(
        EngineTempFiles.isUnpackedRpcJar(
            Path.of("/root/.m2/repository/org/apache/flink/flink-rpc-akka-loader/1.19.0/flink-rpc-akka-loader-1.19.0.jar"),
            TMP));
    assertFalse(EngineTempFiles.isUnpackedRpcJar(Path.of("/tmp/flink-rpc-akka-loader-1.19.0.jar"), TMP));
    assertFalse(EngineTempFiles.isUnpackedRpcJar(Path.of("/tmp/x/flink-rpc-akkad82c3ba7-c413-4395-b45c-530510c80b47.jar"), TMP));
    assertFalse(
        EngineTempFiles.isUnpackedRpcJar(Path.of("/tmp/flink-rpc-akkad82c3ba7-c413-4395-b45c-530510c80b47.jar (deleted)"), TMP));
  }
}
