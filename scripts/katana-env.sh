# The one helper every script of the project sources (POSIX sh): ./mvnw, ./katana, the reliability
# scripts (scripts/lib.sh) and the benchmarks (benchmarks/bench.sh, benchmarks/syscalls.sh).
#   katana_find_jdk            export JAVA_HOME as a JDK 25+ (Maven must run on it too: the jar plugin
#                              asks the running JDK's jar tool to check module descriptors compiled for 25)
#   katana_stale FILE          true when FILE is missing or a source (*.java, pom.xml, *.properties) is newer
#   katana_build FILE MODULES  when FILE is stale, build MODULES (with what they need) without tests,
#                              one Maven build at a time on this machine (flock)
#   katana_need COMMAND PACKAGE  apt-get install PACKAGE when COMMAND is missing (apt-get update once)

katana_java_feature() { # prints the feature version of "$1/bin/java", or 0
  [ -x "$1/bin/java" ] || { echo 0; return; }
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

katana_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ "$(katana_java_feature "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  _katana_had_noglob=no
  case $- in *f*) _katana_had_noglob=yes; set +f ;; esac
  for _katana_candidate in /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    if [ "$(katana_java_feature "$_katana_candidate")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME=$_katana_candidate
      export JAVA_HOME
      break
    fi
  done
  [ "$_katana_had_noglob" = no ] || set -f
  if [ -z "${JAVA_HOME-}" ] || ! [ "$(katana_java_feature "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    echo "katana: JDK 25 or newer is required; none found (JAVA_HOME=${JAVA_HOME-unset}). Install one and set JAVA_HOME." >&2
    return 1
  fi
}

katana_root() {
  (cd "$(dirname "$0")" && while [ ! -f mvnw ] && [ "$(pwd)" != / ]; do cd ..; done && pwd)
}

katana_stale() {
  [ -f "$1" ] || return 0
  _katana_root=${KATANA_ROOT:-$(katana_root)}
  [ -n "$(find "$_katana_root" -path "$_katana_root/.git" -prune -o \( -name '*.java' -o -name pom.xml -o -name '*.properties' \) \
    -newer "$1" -print 2>/dev/null | grep -v /target/ | head -n 1)" ]
}

katana_build() {
  _katana_file=$1
  shift
  katana_stale "$_katana_file" || return 0
  _katana_root=${KATANA_ROOT:-$(katana_root)}
  echo "katana: building $(basename "$_katana_file") (first run, or sources changed)..." >&2
  _katana_modules=$(echo "$*" | tr ' ' ',')
  # -DskipTests still compiles the test classes, where the reliability drills live.
  if command -v flock >/dev/null 2>&1; then
    (cd "$_katana_root" && flock /tmp/katana-build.lock ./mvnw -B -q -DskipTests -pl "$_katana_modules" -am package) >&2
  else
    (cd "$_katana_root" && ./mvnw -B -q -DskipTests -pl "$_katana_modules" -am package) >&2
  fi || { echo "katana: the build failed; see Maven's output above" >&2; return 1; }
}

_katana_apt_updated=no
katana_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "katana: $1 is missing and there is no apt-get to install $2 with: install it and run again" >&2
    return 1
  fi
  if [ "$_katana_apt_updated" = no ]; then
    apt-get update -qq >/dev/null
    _katana_apt_updated=yes
  fi
  echo "katana: installing $2 (for $1)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
