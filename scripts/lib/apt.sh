# Sourced by scripts/lib/browser.sh and scripts/lib/virtuoso.sh.
# apt_install WHY [APT-OPTION...] PACKAGE...: install Debian packages (as root, or with sudo if it needs no password);
# when that is not possible, warn with WHY (what needs them and what to install) and go on: the tests
# that need them then skip.
apt_install() {
    local why=$1
    shift
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "warning: $why; those tests will be skipped" >&2
        return 0
    fi
    local as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            as_root=(false)
        fi
    fi
    echo "installing Debian's $* for the tests ..." >&2
    if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
           "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } \
            >/dev/null; then
        echo "warning: could not install them (root or password-less sudo needed); $why;" \
             "those tests will be skipped" >&2
    fi
}
