# Shared by the scripts: project root, Maven flags and the build of the launcher jar.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/portable-streams.jar"
# Offline once the local repository holds everything (after the first build).
MVN=(mvn -B -q)

# Builds target/portable-streams.jar when it is missing or older than any source, pom or resource.
ensure_jar() {
  if [[ -f "$JAR" ]] && [[ -z "$(find "$ROOT/pom.xml" "$ROOT/transforms" "$ROOT/pipelines" "$ROOT/runners" \
        -newer "$JAR" -type f -print -quit 2>/dev/null)" ]]; then
    return 0
  fi
  echo "building $JAR (the first build downloads the Maven dependencies) ..." >&2
  (cd "$ROOT" && "${MVN[@]}" package -DskipTests) >&2 || { echo "error: build failed" >&2; exit 1; }
}

# The JVM flags of the launcher (heap etc.); --add-opens come from the jar's manifest.
java_opts() {
  echo "${JAVA_OPTS:-} -XX:+UseParallelGC"
}

# The jar manifest's Add-Opens as --add-opens flags, for JVMs started with -cp (the manifest applies to -jar only).
jar_add_opens() {
  unzip -p "$JAR" META-INF/MANIFEST.MF | tr -d '\r' | awk '
    /^[^ ]/ { if (key == "Add-Opens") print val; split($0, kv, ": "); key = kv[1]; val = substr($0, length(key) + 3); next }
    /^ / { val = val substr($0, 2) }
    END { if (key == "Add-Opens") print val }' | tr ' ' '\n' | grep -v '^$' | sed 's/^/--add-opens=/; s/$/=ALL-UNNAMED/' | tr '\n' ' '
}
