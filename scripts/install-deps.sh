#!/usr/bin/env bash
# Installs everything meshdoctor needs to build and test, from Debian packages only.
# Safe to run repeatedly; skips apt when every package is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git python3
  libcurl4-openssl-dev nlohmann-json3-dev libspdlog-dev libcli11-dev doctest-dev
  libfyaml-dev libarchive-dev libsimdjson-dev
  libcpp-httplib-dev libssl-dev openssl prometheus
  prometheus-cpp-dev chromium fonts-dejavu-core curl python3-yaml python3-jsonschema time
)

# kubectl renders deploy/ in a test (kubectl kustomize); Debian ships it as kubernetes-client,
# which would clash with a kubectl installed another way.
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
