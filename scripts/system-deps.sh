#!/usr/bin/env bash
# Debian packages the project needs: fonts for Chinese reports, Chromium for browser tests, pango for WeasyPrint,
# Node for front-end assets, venv for Python. Installs only what is missing; needs root (or sudo) when it installs.
set -euo pipefail

packages=(fonts-noto-cjk fonts-wqy-microhei chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
python3 -c "import venv, ensurepip" >/dev/null 2>&1 || packages+=(python3-venv python3-dev)
command -v make >/dev/null 2>&1 || packages+=(make)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "安装系统依赖：${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
