#!/usr/bin/env bash
# Fetches the single-node Kafka broker's jars (pinned in tools/kafka/pom.xml) into .cache/kafka/libs.
# Skips the download when the cache already holds them, so CI can call it on every run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
libs="$root/.cache/kafka/libs"
if compgen -G "$libs/kafka_2.13-3.9.*.jar" > /dev/null; then
  echo "kafka jars: cached in $libs"
  exit 0
fi
if ! command -v mvn > /dev/null; then
  echo "kafka jars: mvn not found. Fix: apt-get install -y maven (or set KAFKA_BROKERS to an existing broker)" >&2
  exit 1
fi
mkdir -p "$libs"
# A partial download must not pass for a cache hit next time: copy into a scratch dir, then move into place.
scratch="$(mktemp -d "$root/.cache/kafka/libs.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mvn -q -B -Dstyle.color=never -f "$root/tools/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$scratch"
mv "$scratch"/*.jar "$libs"/
echo "kafka jars: $(ls "$libs" | wc -l) jars in $libs"
