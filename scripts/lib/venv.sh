# Sourced by scripts/serve and scripts/test: make sure .venv exists (Python 3.11+) and holds the
# project with its test extras, reinstalling whenever pyproject.toml changes.
venv=.venv
stamp="$venv/.pyproject.sha256"

find_python() {
    if command -v python3.11 >/dev/null 2>&1; then
        echo python3.11
    elif command -v python3 >/dev/null 2>&1 &&
        python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo python3
    else
        echo "error: osint-kg needs Python 3.11 or newer (python3.11, or python3 >= 3.11)" >&2
        return 1
    fi
}

if [ ! -x "$venv/bin/python" ]; then
    python=$(find_python)
    "$python" -m venv "$venv"
fi
wanted=$("$venv/bin/python" -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
    echo "installing osint-kg (with its test extras) into $venv ..." >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
    echo "$wanted" >"$stamp"
fi
