"""Limits a query worker puts on itself before it reads a query: network and memory.

The ``SERVICE``/``LOAD`` check (:mod:`kg.sparql.safety`) decides which hosts a
query may call; this module makes sure a query the check misread still cannot
reach anything else. A worker calls :func:`confine` once, before it opens a
store:

- **Network.** With an empty allowlist the worker may not create an IPv4, IPv6
  or packet socket at all (a seccomp filter answers ``socket()`` with
  ``EACCES``), so a ``SERVICE`` call fails inside Oxigraph whatever its
  spelling. With an allowlist, every ``connect()`` of the worker is held by the
  kernel and passed to a supervisor thread (seccomp user notification), which
  lets it go on only to the allowlisted ``host:port`` pairs (resolved when the
  worker starts) and to the system's name servers on port 53.
- **Memory.** The parent watches a busy worker's resident size
  (:func:`resident_mb`, every 10 ms) and kills it at nine tenths of
  ``KG_QUERY_MEMORY_MB``, the last tenth being room for the watch's step; as a
  backstop the worker caps its own allocations (``RLIMIT_DATA``, see
  :func:`lock_memory`), so a query that outruns the watch fails its allocation
  and the process dies. Either way the pool answers 503 and replaces it.

seccomp needs Linux and libseccomp (present on every Debian and Ubuntu); where
it is missing, the network lock is skipped with a warning, and the check in
:mod:`kg.sparql.safety` stands alone.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import resource
import socket
import struct
import threading
from collections.abc import Collection
from pathlib import Path

__all__ = ["Endpoint", "confine", "lock_memory", "lock_network", "resident_mb", "resolve_allowlist"]

log = logging.getLogger(__name__)

Endpoint = tuple[str, int]
"""An IP address (as text) and a TCP port a worker may connect to."""

_BLOCKED_FAMILIES = (socket.AF_INET, socket.AF_INET6, socket.AF_PACKET)
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_CONTINUE = 1  # SECCOMP_USER_NOTIF_FLAG_CONTINUE: let the held system call go on


def confine(allowlist: Collection[str], memory_mb: int) -> None:
    """Lock this process's network to ``allowlist`` (``host`` or ``host:port``) and cap its memory."""
    lock_network(resolve_allowlist(allowlist))
    lock_memory(memory_mb)


def resolve_allowlist(allowlist: Collection[str]) -> frozenset[Endpoint]:
    """The IP addresses and ports of ``allowlist`` entries (a bare host means ports 80 and 443)."""
    endpoints: set[Endpoint] = set()
    for entry in allowlist:
        host, _, port = entry.rpartition(":") if _has_port(entry) else (entry, "", "")
        ports = [int(port)] if port else [80, 443]
        for number in ports:
            try:
                infos = socket.getaddrinfo(host.strip("[]"), number, proto=socket.IPPROTO_TCP)
            except OSError as exc:
                log.warning("SERVICE allowlist: %s does not resolve (%s); it stays unreachable", entry, exc)
                continue
            endpoints.update((_canonical(str(info[4][0])), number) for info in infos)
    return frozenset(endpoints)


def _has_port(entry: str) -> bool:
    head, sep, tail = entry.rpartition(":")
    return bool(sep) and tail.isdigit() and (not head.startswith("[") or head.endswith("]"))


def _canonical(address: str) -> str:
    """``address`` in one spelling (IPv4-mapped IPv6 addresses as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def lock_network(allowed: frozenset[Endpoint]) -> bool:
    """Install the seccomp filter (see the module docstring); False if seccomp is not available here."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # libseccomp missing
        log.warning("query workers run without a network lock: seccomp is not available (%s)", exc)
        return False
    guard = seccomp.SyscallFilter(seccomp.ALLOW)
    if not allowed:
        for family in _BLOCKED_FAMILIES:
            guard.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
        guard.load()
        return True
    guard.add_rule(seccomp.NOTIFY, "connect")
    guard.load()
    supervisor = _Supervisor(guard, allowed | _name_servers())
    threading.Thread(target=supervisor.run, name="kg-network-guard", daemon=True).start()
    return True


def _name_servers() -> frozenset[Endpoint]:
    """The resolvers of ``/etc/resolv.conf``, port 53 (host names in SERVICE IRIs must still resolve)."""
    try:
        lines = Path("/etc/resolv.conf").read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    servers = set()
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "nameserver":
            try:
                servers.add((_canonical(parts[1]), 53))
            except ValueError:
                continue
    return frozenset(servers)


class _Supervisor:
    """Answers the held ``connect()`` calls of this process: allowed endpoints go on, the rest get EACCES."""

    def __init__(self, guard: object, allowed: frozenset[Endpoint]) -> None:
        self.guard = guard
        self.allowed = allowed
        self._memory = os.open("/proc/self/mem", os.O_RDONLY)

    def run(self) -> None:
        import pyseccomp as seccomp

        while True:
            try:
                held = self.guard.receive_notify()  # type: ignore[attr-defined]
            except OSError:
                continue
            verdict = self.decide(held.syscall_args[1], held.syscall_args[2])
            response = seccomp.NotificationResponse(
                error=0 if verdict else -errno.EACCES, flags=_CONTINUE if verdict else 0, id=held.id, val=0
            )
            try:
                self.guard.respond_notify(response)  # type: ignore[attr-defined]
            except OSError:  # the calling thread was interrupted meanwhile
                continue

    def decide(self, address: int, length: int) -> bool:
        """Whether the ``sockaddr`` at ``address`` (in this process) may be connected to."""
        try:
            raw = os.pread(self._memory, min(length, 128), address)
        except OSError:
            return False
        endpoint = parse_sockaddr(raw)
        if endpoint is None:
            return True  # not an internet address (a Unix socket, the pipe to the parent)
        if endpoint not in self.allowed:
            log.warning("query worker: connect() to %s port %d refused (not in the SERVICE allowlist)", *endpoint)
            return False
        return True


def parse_sockaddr(raw: bytes) -> Endpoint | None:
    """The IP address and port of a ``sockaddr_in``/``sockaddr_in6``; None for other families."""
    if len(raw) < 2:
        return None
    (family,) = struct.unpack("=H", raw[:2])
    if family == socket.AF_INET and len(raw) >= 8:
        return _canonical(socket.inet_ntop(socket.AF_INET, raw[4:8])), struct.unpack("!H", raw[2:4])[0]
    if family == socket.AF_INET6 and len(raw) >= 24:
        return _canonical(socket.inet_ntop(socket.AF_INET6, raw[8:24])), struct.unpack("!H", raw[2:4])[0]
    if family in _BLOCKED_FAMILIES:
        return ("unreadable", 0)
    return None


def lock_memory(memory_mb: int) -> None:
    """Cap this process's allocations so that its resident size stays within about ``memory_mb`` MiB.

    ``RLIMIT_DATA`` counts the heap and private anonymous mappings, which is where
    query evaluation allocates (files mapped by RocksDB do not count); it is set
    to what the process has now plus the room left under ``memory_mb``. An
    allocation past it fails and the process dies; core dumps are turned off so
    that death leaves nothing on disk.
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if memory_mb <= 0:
        return
    room_mb = max(memory_mb - resident_mb(os.getpid()), 64)
    limit = _status_kb(os.getpid(), "VmData") * 1024 + int(room_mb * 1024 * 1024)
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def resident_mb(pid: int) -> float:
    """The resident size of process ``pid`` in MiB (0 if it is gone); cheap enough to poll every few ms."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * _PAGE_BYTES / (1024 * 1024)


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
