#!/usr/bin/env bash
# Builds MODULE (and what it needs) offline and prints a classpath with its test classes, for the
# issue-7 benchmark mains. Writes nothing to ~/.m2 (no install). Usage: bench/issue7/classpath.sh MODULE
set -euo pipefail
cd "$(dirname "$0")/../.."
m="$1"
./mvnw -B -o -q -pl "$m" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >&2
echo "$m/target/test-classes:$m/target/classes:$(cat "$m/target/cp.txt")"
