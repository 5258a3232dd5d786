#!/bin/sh
# The Debian packages mzkg's tests use: Virtuoso (triple-store tests), Graphviz and a CJK font (drawings),
# Chromium and its driver (the browser test). Installed when run as root with apt-get; otherwise this names
# what is missing and how to get it, and the tests that need it fail (they never skip under CI).
PACKAGES="virtuoso-opensource-7-bin graphviz fonts-noto-cjk chromium chromium-driver"
COMMANDS="virtuoso-t dot chromium chromedriver"

missing=""
for c in $COMMANDS; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null && exit 0
  echo "apt-get could not install them" >&2
fi
echo "missing:$missing; install with: sudo apt-get install $PACKAGES" >&2
echo "(the tests that need them will fail; locally they skip with this reason)" >&2
exit 0
