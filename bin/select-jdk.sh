# Sourced by run-local, run-tests and .ci/run: points JAVA_HOME at a JDK >= 21.
# The machine's default java may be older (17 here); Temurin 25 sits beside it in /usr/lib/jvm.

tally_java_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

tally_select_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(tally_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(tally_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  echo "No JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm and PATH). Install one, e.g. Temurin 21+, and set JAVA_HOME." >&2
  return 1
}

tally_select_jdk
