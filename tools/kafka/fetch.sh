#!/usr/bin/env bash
# Fetches the single-node Kafka broker's jars (pinned in tools/kafka/pom.xml) into .cache/kafka/libs, or with
# the argument 4 the Kafka 4 line's (tools/kafka/kafka4/pom.xml) into .cache/kafka4/libs.
# Skips the download when the cache already holds them, so CI can call it on every run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${1:-3}" in
  3) pom="$root/tools/kafka/pom.xml" libs="$root/.cache/kafka/libs" jar="kafka_2.13-3.9.*.jar" ;;
  4) pom="$root/tools/kafka/kafka4/pom.xml" libs="$root/.cache/kafka4/libs" jar="kafka_2.13-4.1.*.jar" ;;
  *) echo "kafka jars: unknown line '$1' (expected 3 or 4)" >&2; exit 2 ;;
esac
if compgen -G "$libs/$jar" > /dev/null; then
  echo "kafka jars: cached in $libs"
  exit 0
fi
if ! command -v mvn > /dev/null; then
  echo "kafka jars: mvn not found. Fix: apt-get install -y maven (or set KAFKA_BROKERS to an existing broker)" >&2
  exit 1
fi
mkdir -p "$libs"
# A partial download must not pass for a cache hit next time: copy into a scratch dir, then move into place.
scratch="$(mktemp -d "$libs.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DoutputDirectory="$scratch"
mv "$scratch"/*.jar "$libs"/
echo "kafka jars: $(ls "$libs" | wc -l) jars in $libs"
