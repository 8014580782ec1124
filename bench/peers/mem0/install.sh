#!/usr/bin/env bash
# Installs the mem0 peer's pinned npm packages (mem0ai and its dependencies) from the committed
# package-lock.json into ./node_modules. Needs the npm registry once; the peer itself runs offline.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are required (Node 18 or newer). On Debian/Ubuntu: sudo apt-get install nodejs npm" >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ]; then
  echo "Node $(node --version) is too old: mem0ai needs Node 18 or newer" >&2
  exit 1
fi

# better-sqlite3 has no prebuilt binary reachable here: its install script falls back to
# compiling with node-gyp (needs python3, make and a C++ compiler; about a minute).
npm ci --no-audit --no-fund
node -e 'require("better-sqlite3")' && echo "mem0 peer installed: $(node -p 'require("./node_modules/mem0ai/package.json").version')"
