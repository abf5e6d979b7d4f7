#!/usr/bin/env bash
# Installs the few Debian packages AffectLab needs beside its Python and npm packages:
# Chromium and its driver (browser tests), espeak-ng (speech for the demo clip and tests).
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v chromedriver >/dev/null 2>&1 || needed+=(chromium-driver)
command -v espeak-ng >/dev/null 2>&1 || needed+=(espeak-ng)
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${needed[*]}. Install them with your package manager (Debian: apt-get install ${needed[*]})." >&2
  exit 1
fi
echo "Installing system packages: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
