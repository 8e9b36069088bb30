# Sourced by scripts/test: the browser tests (tests/test_ui_browser.py) drive Debian's Chromium through
# Debian's chromedriver. When either is missing, install both (scripts/lib/apt.sh); if that cannot be done,
# those tests skip.
source scripts/lib/apt.sh
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    apt_install "the browser tests need Chromium and ChromeDriver (Debian: apt-get install chromium chromium-driver)" \
        chromium chromium-driver
fi
