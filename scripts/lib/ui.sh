# Sourced by scripts/serve and scripts/test, after venv.sh: build the query UI (ui/, YASGUI from npm)
# into kg/api/static/ui with `npm ci` + `npm run build`, again whenever ui/package-lock.json or another
# build input changes. Needs Node.js 18+ and npm.
ui_out=kg/api/static/ui
ui_stamp="$ui_out/.inputs.sha256"

ui_wanted=$("$venv/bin/python" - <<'EOF'
import hashlib
from pathlib import Path

digest = hashlib.sha256()
for path in sorted(p for p in Path("ui").rglob("*") if p.is_file() and "node_modules" not in p.parts):
    digest.update(f"{path}\0".encode() + path.read_bytes() + b"\0")
print(digest.hexdigest())
EOF
)
if [ ! -f "$ui_out/index.html" ] || [ "$(cat "$ui_stamp" 2>/dev/null || true)" != "$ui_wanted" ]; then
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "error: building the query UI needs Node.js 18 or newer and npm" >&2
        echo "       (Debian/Ubuntu: apt-get install nodejs npm, as root)" >&2
        exit 1
    fi
    if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
        echo "error: building the query UI needs Node.js 18 or newer (found $(node --version))" >&2
        exit 1
    fi
    echo "building the query UI (npm ci, then ui/build.mjs) into $ui_out ..." >&2
    (cd ui && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm run --silent build) >&2
    echo "$ui_wanted" >"$ui_stamp"
fi
