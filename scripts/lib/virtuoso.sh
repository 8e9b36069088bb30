# Sourced by scripts/test: tests/test_push_virtuoso.py pushes into a Virtuoso it starts on loopback, so it needs
# virtuoso-t. When it is missing, install Debian's virtuoso-opensource-7-bin (scripts/lib/apt.sh): the server
# binary alone, which the test runs on its own temporary database. The virtuoso-opensource package would also
# set up a system-wide service on ports 1111 and 8890, and ask for its DBA password. If that cannot be done,
# the test skips.
source scripts/lib/apt.sh
if ! command -v virtuoso-t >/dev/null 2>&1; then
    apt_install "the Virtuoso push test needs virtuoso-t (Debian: apt-get install virtuoso-opensource-7-bin)" \
        --no-install-recommends virtuoso-opensource-7-bin
fi
