#!/usr/bin/env bash
# `npm start`: builds the web app and the server (cached by turbo), then starts the console on the embedded SQLite
# database with the simulator adapter. The first start prints a one-time setup token for the /setup page.
set -euo pipefail
cd "$(dirname "$0")/.."
npx turbo run build --filter=@netplane/server --filter=@netplane/web --output-logs=errors-only
exec node apps/server/dist/main.js start "$@"
