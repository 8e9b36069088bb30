# Sourced by scripts/test: the browser tests (tests/test_ui_browser.py) drive Debian's Chromium through
# Debian's chromedriver. When either is missing and apt-get is there, install both (as root, or with
# sudo if it needs no password); otherwise say what to install and go on: those tests then skip.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    browser_missing="the browser tests need Chromium and ChromeDriver (Debian: apt-get install chromium chromium-driver)"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "warning: $browser_missing; they will be skipped" >&2
    else
        if [ "$(id -u)" -eq 0 ]; then
            as_root=()
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            as_root=(false)
        fi
        echo "installing Debian's chromium and chromium-driver for the browser tests ..." >&2
        if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
               "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } \
                >/dev/null; then
            echo "warning: could not install them (root or password-less sudo needed); $browser_missing;" \
                 "they will be skipped" >&2
        fi
    fi
fi
