#!/usr/bin/env bash
# Debian packages the test suite needs. Installs what is missing when run as root; otherwise names it.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
# The test OpenID provider (tests/oidc) runs on Node.js.
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# The catalogs' spelling is checked with Debian's Norwegian dictionaries (tests/test_catalogs.py).
command -v hunspell >/dev/null 2>&1 || need+=(hunspell)
[ -f /usr/share/hunspell/nn_NO.dic ] && [ -f /usr/share/hunspell/nb_NO.dic ] || need+=(hunspell-no)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installerer ${need[*]} med apt-get ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Mangler Debian-pakker: ${need[*]}. Installer dem med: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
