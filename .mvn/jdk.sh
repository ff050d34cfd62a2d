# Sourced by ./mvnw and ./katana (POSIX sh). Katana needs JDK 25 or newer, and Maven must run on it
# too: the jar plugin asks the running JDK's jar tool to check module descriptors compiled for 25.
# When JAVA_HOME is unset or too old, look for a JDK 25+ in the usual places and export it.

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
