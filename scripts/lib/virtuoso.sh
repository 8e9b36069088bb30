# Sourced by scripts/test: tests/test_push_virtuoso.py pushes into a Virtuoso it starts on loopback, so it needs
# virtuoso-t. When it is missing and apt-get is there, install Debian's virtuoso-opensource-7-bin (as root, or
# with sudo if it needs no password): the server binary alone, which the test runs on its own temporary
# database. The virtuoso-opensource package would also set up a system-wide service on ports 1111 and 8890,
# and ask for its DBA password. Otherwise say what to install and go on: that test then skips.
if ! command -v virtuoso-t >/dev/null 2>&1; then
    virtuoso_missing="the Virtuoso push test needs virtuoso-t (Debian: apt-get install virtuoso-opensource-7-bin)"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "warning: $virtuoso_missing; it will be skipped" >&2
    else
        if [ "$(id -u)" -eq 0 ]; then
            as_root=()
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            as_root=(false)
        fi
        echo "installing Debian's virtuoso-opensource-7-bin for the Virtuoso push test ..." >&2
        if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
               "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                   virtuoso-opensource-7-bin; } >/dev/null; then
            echo "warning: could not install it (root or password-less sudo needed); $virtuoso_missing;" \
                 "it will be skipped" >&2
        fi
    fi
fi
