#!/usr/bin/env bash
# Unpacks Debian's kubernetes-client (kubectl 1.20, built-in kustomize v2.0.3) into .cache/ instead of installing it:
# machines that carry the Cloud SDK's `kubectl` package own /usr/bin/kubectl, and dpkg refuses to overwrite it.
# The deploy specs look for the binary here (or take SURGE_KUBECTL).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.cache/kubernetes-client"
if [ -x "$dest/usr/bin/kubectl" ]; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download kubernetes-client >/dev/null 2>&1; then
  apt-get update -qq
  apt-get download kubernetes-client
fi
mkdir -p "$dest"
dpkg-deb -x ./kubernetes-client_*.deb "$dest"
"$dest/usr/bin/kubectl" version --client --short 2>/dev/null || "$dest/usr/bin/kubectl" version --client
