package streams.harness;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** The machine the figures were measured on, as every report states it. */
@JsonAutoDetect(fieldVisibility = Visibility.ANY)
public record Machine(
    int cores, String cpuModel, Long memoryTotalBytes, String os, String kernel, String java, String javaHome) {

  /** This machine and this JVM. */
  public static Machine current() {
    String memKb = firstValue(Paths.get("/proc/meminfo"), "MemTotal");
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        firstValue(Paths.get("/proc/cpuinfo"), "model name"),
        memKb == null ? null : Long.parseLong(memKb.replaceAll("[^0-9]", "")) * 1024L,
        osName(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
            + System.getProperty("java.vendor") + ")",
        System.getProperty("java.home"));
  }

  /** The 1-minute load average: how busy the machine was (other processes count too). */
  public static Double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static String osName() {
    try {
      for (String line : Files.readAllLines(Paths.get("/etc/os-release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // not Linux, or no os-release
    }
    return System.getProperty("os.name").toLowerCase(Locale.ROOT);
  }
}
