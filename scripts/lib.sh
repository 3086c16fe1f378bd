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
  build_jars
}

# What scripts/cluster records of the jar it preloads on a Flink cluster (portable-streams.preloaded-jar), and
# what the command line compares with its own jar (streams.cli.Engines.fingerprint, same text).
jar_fingerprint() { stat -c '%s bytes, modified %Y' "$1"; }

# scripts/bench and its yardsticks, packaged apart from the product (the build makes both jars).
bench_jar() {
  { compgen -G "$ROOT/target/portable-streams-*-benchmarks.jar" || true; } | head -n 1
}

# Builds both jars when the benchmarks jar is missing or older than a benchmark source (a build of the
# product jar makes the benchmarks jar too).
ensure_bench_jar() {
  ensure_jar
  local b
  b="$(bench_jar)"
  if [[ -n "$b" ]] && [[ -z "$(find "$ROOT/benchmarks" -newer "$b" -type f -print -quit 2>/dev/null)" ]]; then
    return 0
  fi
  build_jars
}

build_jars() {
  echo "building $JAR (the first build downloads the Maven dependencies) ..." >&2
  # Maven's output goes to a log (its -q mode still writes colour resets); shown only if the build fails.
  local log="$ROOT/target/build.log"
  mkdir -p "$ROOT/target"
  if ! (cd "$ROOT" && "${MVN[@]}" package -DskipTests) >"$log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" | tail -n 40 >&2
    echo "error: build failed (log: $log)" >&2
    exit 1
  fi
}

# The JVM flags of the launcher (heap etc.); --add-opens come from the jar's manifest.
java_opts() {
  echo "${JAVA_OPTS:-} -XX:+UseParallelGC"
}

# The runner a command line names (--runner=..., Flink by default, as the command line itself).
runner_of() {
  local runner=flink a
  for a in "$@"; do
    case "$a" in --runner=*) runner="${a#--runner=}" ;; esac
  done
  echo "$runner"
}

# The JVM flags of a run on an engine, from runners/resources/engine-flags.tsv: the table where the heap and JIT
# settings of each engine are decided (streams.cli.EngineJvmFlags reads the same table for scripts/compare and
# scripts/bench). Arguments: the kind (heap or jit), then the command line's arguments. Nothing of a kind that
# JAVA_OPTS sets itself (heap: -Xmx; jit: -XX:TieredStopAtLevel or -XX:[+-]TieredCompilation).
ENGINE_FLAGS_TABLE="$ROOT/runners/resources/engine-flags.tsv"
engine_flags() {
  local kind="$1"
  shift
  case "$kind" in
    heap) [[ "${JAVA_OPTS:-}" == *-Xmx* ]] && return 0 ;;
    jit) [[ "${JAVA_OPTS:-}" =~ Tiered(StopAtLevel|Compilation) ]] && return 0 ;;
  esac
  local a mode=batch input="" events=100000 bytes=-1 runner
  for a in "$@"; do
    case "$a" in
      --source=kafka | --streaming | --streaming=true) mode=streaming ;;
      --input=*) input="${a#--input=}" ;;
      --events=*) events="${a#--events=}" ;;
    esac
  done
  runner="$(runner_of "$@" | tr '[:upper:]' '[:lower:]')"
  runner="${runner%runner}"
  if [[ -n "$input" ]]; then
    events=-1
    [[ -f "$input" ]] && bytes="$(stat -c %s "$input")"
  fi
  [[ "$events" =~ ^[0-9]+$ ]] || events=-1
  local k r m max_bytes max_events flag
  while IFS=$'\t' read -r k r m max_bytes max_events flag; do
    [[ -z "$k" || "$k" == \#* || "$k" != "$kind" || "$r" != "$runner" ]] && continue
    [[ "$m" == any || "$m" == "$mode" ]] || continue
    if (( bytes >= 0 )); then
      [[ "$max_bytes" == - ]] || (( bytes <= max_bytes )) || continue
    elif (( events >= 0 )); then
      [[ "$max_events" == - ]] || (( events <= max_events )) || continue
    else
      [[ "$max_bytes" == - && "$max_events" == - ]] || continue
    fi
    echo "$flag"
  done < "$ENGINE_FLAGS_TABLE"
  return 0
}
engine_heap() { engine_flags heap "$@"; }
engine_jit() { engine_flags jit "$@"; }

# The jar manifest's Add-Opens as --add-opens flags, for JVMs started with -cp (the manifest applies to -jar only).
jar_add_opens() {
  unzip -p "$JAR" META-INF/MANIFEST.MF | tr -d '\r' | awk '
    /^[^ ]/ { if (key == "Add-Opens") print val; split($0, kv, ": "); key = kv[1]; val = substr($0, length(key) + 3); next }
    /^ / { val = val substr($0, 2) }
    END { if (key == "Add-Opens") print val }' | tr ' ' '\n' | grep -v '^$' | sed 's/^/--add-opens=/; s/$/=ALL-UNNAMED/' | tr '\n' ' '
}

# Installs Debian's prometheus package with apt-get when the prometheus binary is missing (as root; the
# package's own service is not used). Argument: the name of the calling script, for its messages.
ensure_prometheus() {
  command -v prometheus >/dev/null && return 0
  echo "$1: prometheus is not installed; installing Debian's package:"
  apt-cache policy prometheus | sed -n '1,3p'
  if [[ $(id -u) -ne 0 ]]; then
    echo "$1: run as root, or first: sudo apt-get install prometheus" >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null; }
}

# The resident client of a Flink cluster that scripts/cluster started on this machine (streams.cli.ClientDaemon,
# listening on the cluster's REST port + 2): a batch run on that cluster (--runner=flink, the default, and
# --flinkMaster=127.0.0.1:P or localhost:P) is sent to it instead of starting a new JVM, when the cluster's
# client runs from this working directory and this jar and is not busy; streaming runs, --verbose, --help,
# JAVA_OPTS and PORTABLE_STREAMS_CLIENT=off start their own JVM. The client runs the command exactly as
# the new JVM would and sends its lines back; this function then exits with the command's code. It returns
# (1) when the command is not for the client or the client does not take it: the caller goes on as usual.
run_on_cluster_client() {
  [[ "${PORTABLE_STREAMS_CLIENT:-on}" != off && -z "${JAVA_OPTS:-}" && $# -gt 0 ]] || return 1
  case "$1" in generate | query | compare | jobs | stop | -*) return 1 ;; esac
  local a master=""
  for a in "${@:2}"; do
    case "$a" in
      --runner=*) [[ "${a#--runner=}" =~ ^[Ff]link(Runner)?$ ]] || return 1 ;;
      --flinkMaster=*) master="${a#--flinkMaster=}" ;;
      --verbose | --verbose=* | --source=kafka | --streaming | --streaming=true | --help | -h) return 1 ;;
      *$'\n'*) return 1 ;;
    esac
  done
  [[ "$master" =~ ^(127\.0\.0\.1|localhost):([0-9]+)$ ]] || return 1
  local port=$(( BASH_REMATCH[2] + 2 )) line rc=""
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  { printf '%s\n%s\n%s\n' "$(pwd -P)" "$(jar_fingerprint "$JAR")" "$#"; printf '%s\n' "$@"; } >&3 2>/dev/null
  if ! IFS= read -r line <&3 || [[ "$line" != a ]]; then
    exec 3<&-
    return 1
  fi
  while IFS= read -r line <&3; do
    case "$line" in
      "o "*) printf '%s\n' "${line:2}" ;;
      "e "*) printf '%s\n' "${line:2}" >&2 ;;
      "x "*) rc="${line:2}" ;;
    esac
  done
  exec 3<&-
  if [[ ! "$rc" =~ ^[0-9]+$ ]]; then
    echo "error: the cluster's client (127.0.0.1:$port) went away during the run; scripts/cluster flink status" >&2
    exit 1
  fi
  exit "$rc"
}

# Class-data sharing (CDS) for the launcher jar, one archive per runner: a run lists the classes it loads
# (-XX:DumpLoadedClassList), then a separate JVM dumps them into target/cds/<runner>.jsa (-Xshare:dump, static
# AppCDS); later runs map that archive instead of loading, parsing and verifying the classes again
# (docs/performance.md measures it). A runner's jobs load different classes by shape (embedded engine or
# cluster client, file or Kafka source): the first run of each shape is recorded too, and the archive is
# dumped again from the union of the recorded lists (target/cds/<runner>.classlist, shapes in
# <runner>.shapes), so that no shape maps an archive made for another one. Everything is remade when the jar
# is newer. PORTABLE_STREAMS_CDS=off turns it off. (The dynamic archive of Java 17,
# -XX:ArchiveClassesAtExit, crashed at exit in about one run in three here, inside the user's own run: not
# used.)
# Prints the runner's archive path, or nothing when CDS is off; arguments: the command line's arguments.
cds_archive() {
  [[ "${PORTABLE_STREAMS_CDS:-on}" == off ]] && return 0
  # Agents and Flight Recorder hook class loading, and Java 17 crashed (SIGSEGV in
  # KlassFactory::check_shared_class_file_load_hook) loading the archive's classes with JFR on: no CDS then.
  [[ "${JAVA_OPTS:-}" =~ (-javaagent|-agentlib|-agentpath|FlightRecord|-Xrun) ]] && return 0
  local runner
  runner="$(runner_of "$@")"
  [[ "$runner" =~ ^[A-Za-z]+$ ]] || return 0   # a bad --runner: the command line itself says what is allowed
  echo "$ROOT/target/cds/$runner.jsa"
}

# The shape of a run, for the CDS archive: embedded or cluster, file or kafka (arguments: the command line's).
cds_shape() {
  local where=embedded source=file a
  for a in "$@"; do
    case "$a" in
      --flinkMaster=\[*\] | --sparkMaster=local*) ;;
      --flinkMaster=?* | --sparkMaster=?*) where=cluster ;;
      --source=kafka) source=kafka ;;
    esac
  done
  echo "$where-$source"
}

# Runs the launcher jar with the runner's CDS archive when it is current and has recorded this run's shape;
# else runs it while listing the classes it loads, then dumps the archive from the union of the lists (into a
# temporary file renamed when complete, so that no run maps a half-written archive; a failed dump only means
# no archive, the run's own result stands).
run_jar_with_cds() {
  local archive shape
  archive="$(cds_archive "$@")"
  shape="$(cds_shape "$@")"
  # shellcheck disable=SC2046
  if [[ -z "$archive" ]]; then
    exec java $(java_opts) $(engine_heap "$@") $(engine_jit "$@") -jar "$JAR" "$@"
  elif [[ -f "$archive" && "$archive" -nt "$JAR" ]] && grep -qx "$shape" "${archive%.jsa}.shapes" 2>/dev/null; then
    exec java $(java_opts) $(engine_heap "$@") $(engine_jit "$@") -XX:SharedArchiveFile="$archive" -Xshare:auto -jar "$JAR" "$@"
  fi
  mkdir -p "$(dirname "$archive")"
  local tmp="$archive.$$.tmp" rc=0 list="${archive%.jsa}.classlist" shapes="${archive%.jsa}.shapes"
  if [[ ! -f "$archive" || "$JAR" -nt "$archive" ]]; then
    rm -f "$list" "$shapes"   # made for another jar
  fi
  # shellcheck disable=SC2046
  java $(java_opts) $(engine_heap "$@") $(engine_jit "$@") -XX:DumpLoadedClassList="$tmp.classlist" -jar "$JAR" "$@" || rc=$?
  # Only a run that started an engine makes a useful archive (a --help or a refused flag loads a few
  # thousand classes, a job 8 000 (Direct) to 13 000 (Flink)): below 6 000 classes nothing is recorded.
  if [[ "$rc" == 0 && -s "$tmp.classlist" && "$(wc -l < "$tmp.classlist")" -gt 6000 ]]; then
    echo "recording the class-data sharing archive of this runner ($shape runs, once): $archive" >&2
    if [[ -f "$list" ]]; then cat "$list" "$tmp.classlist"; else cat "$tmp.classlist"; fi | awk '!seen[$0]++' > "$tmp.union"
    # shellcheck disable=SC2046
    if java $(java_opts) -Xshare:dump -XX:SharedClassListFile="$tmp.union" -XX:SharedArchiveFile="$tmp" \
        -cp "$JAR" > "$archive.log" 2>&1 && [[ -s "$tmp" ]]; then
      mv -f "$tmp.union" "$list"
      mv -f "$tmp" "$archive"
      echo "$shape" >> "$shapes"
    else
      echo "warning: no class-data sharing archive (see $archive.log); runs go on without it" >&2
    fi
  fi
  rm -f "$tmp" "$tmp.classlist" "$tmp.union"
  return "$rc"
}
