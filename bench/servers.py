"""Throwaway servers for the benchmarks: a PostgreSQL cluster and gunicorn, stopped on any exit.

    with Postgres.start(Path("/tmp/x/pg")) as pg:
        env = pg.environ()            # DATABASE_URL for manage.py and gunicorn
        with Gunicorn.start(env, workers=3) as web:
            ...                       # http://127.0.0.1:{web.port}/

Both are context managers; leaving the block (normally, on an error or on Ctrl-C) stops the
server. `stop_on_signals()` turns SIGTERM and SIGHUP into SystemExit so that `with` blocks unwind
then too. PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user
(`runuser -u postgres --`), as `scripts/portal test-postgres` does.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
DB_NAME = "itaportal"


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def note(text: str) -> None:
    print(f"    {text}", flush=True)


PYCACHE = Path("/tmp/itaportal-bench-pycache")


def bytecode_cache(env: Mapping[str, str]) -> dict[str, str]:
    """ENV for child processes that keep compiled bytecode, in a folder of the bench's own.

    With PYTHONDONTWRITEBYTECODE=1 (set on some machines), every process would compile Django,
    WeasyPrint and the portal from source again: seconds that a deployed portal never pays.
    """
    out = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return out


def stop_on_signals() -> None:
    """SIGTERM/SIGHUP raise SystemExit (Ctrl-C already raises KeyboardInterrupt)."""

    def _exit(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit)


def interpreter() -> str:
    """The Python that .venv was built on: its version and where it lives. A distribution's
    (Debian 13's /usr/bin/python3.13) is built with profile-guided and link-time optimisation,
    pyenv's by default without: gunicorn spent 14 % more CPU on the same pages with pyenv's
    3.13.0 than with Debian's 3.13.5 (bench/README.md, session 35)."""
    base = subprocess.run(
        [
            str(PYTHON),
            "-c",
            "import sys, platform; print(platform.python_version(), sys.base_prefix)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return f"{base[0]} in {base[1]}"


def make_workdir(prefix: str) -> Path:
    """A fresh temporary folder that the postgres user may enter (mkdtemp makes it 0700)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float, alive: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive is not None and alive.poll() is not None:
            raise RuntimeError(f"the server exited with status {alive.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def manage(
    *args: str, env: Mapping[str, str], quiet: bool = True, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """`python manage.py ARGS` in the repository with ENV; output captured unless quiet=False."""
    command = [str(PYTHON), "manage.py", *args]
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=dict(env),
        text=True,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.PIPE if quiet else None,
        check=False,
    )
    if check and result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise RuntimeError(f"manage.py {' '.join(args)} exited with status {result.returncode}")
    return result


# --- PostgreSQL --------------------------------------------------------------------------------
def pg_bin_dir() -> Path:
    """The newest server binaries (Debian's /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(Path(d).parent.name))
    for candidate in reversed(found):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise RuntimeError("PostgreSQL server binaries not found: apt-get install -y postgresql")


def _as_postgres(command: Sequence[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


# Settings of the throwaway cluster. "durable" is what a production server runs with; "loading"
# turns off what only protects against a crash, to load the national data set quickly.
PG_DURABLE = {"shared_buffers": "256MB", "max_connections": "100"}
PG_LOADING = {
    **PG_DURABLE,
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


@dataclass
class Postgres:
    """A PostgreSQL cluster in `directory` (data/, log, socket), listening on 127.0.0.1:port."""

    directory: Path
    bin_dir: Path = field(default_factory=pg_bin_dir)
    port: int = 0
    running: bool = False

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def environ(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        return {**(base if base is not None else os.environ), "DATABASE_URL": self.url}

    def version(self) -> str:
        out = subprocess.run(
            [str(self.bin_dir / "postgres"), "--version"], text=True, capture_output=True
        )
        words = out.stdout.split()  # "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
        return words[2] if len(words) > 2 else out.stdout.strip()

    def _run(self, *command: str, quiet: bool = True) -> None:
        full = _as_postgres(command)
        result = subprocess.run(
            full, cwd="/", text=True, capture_output=quiet, check=False, stdin=subprocess.DEVNULL
        )
        if result.returncode != 0:
            if quiet:
                sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
            raise RuntimeError(f"{shlex.join(full)} exited with status {result.returncode}")

    @classmethod
    @contextlib.contextmanager
    def start(
        cls, directory: Path, *, settings: Mapping[str, str] = PG_DURABLE, keep: bool = False
    ) -> Iterator[Postgres]:
        """Start the cluster in DIRECTORY (created with its database when new); stop it on exit.

        Unless KEEP, the directory is removed afterwards.
        """
        server = cls(directory)
        if os.geteuid() == 0:
            try:
                subprocess.run(["id", "postgres"], check=True, capture_output=True)
            except subprocess.CalledProcessError:
                raise RuntimeError("running as root, but there is no 'postgres' user") from None
        fresh = not (server.data / "PG_VERSION").exists()
        directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        try:
            if fresh:
                server._initdb()
            server.restart(settings)
            if fresh:
                server._run(
                    str(server.bin_dir / "createdb"),
                    *("-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", DB_NAME),
                )
            yield server
        finally:
            server.stop()
            if not keep:
                shutil.rmtree(directory, ignore_errors=True)

    def _initdb(self) -> None:
        base = [str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
        try:
            self._run(*base, "--encoding=UTF8", "--locale=C.UTF-8")
        except RuntimeError:
            shutil.rmtree(self.data, ignore_errors=True)
            self._run(*base, "--encoding=UTF8", "--locale=C")

    def restart(self, settings: Mapping[str, str]) -> None:
        """(Re)start with SETTINGS on a free port."""
        self.stop()
        self.port = free_port()
        options = [
            f"-p {self.port}",
            f"-k {self.directory}",
            "-c listen_addresses=127.0.0.1",
            *(f"-c {name}={value}" for name, value in settings.items()),
        ]
        self._run(
            str(self.bin_dir / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.directory / "log"), "-w", "-t", "120"),
            *("-o", " ".join(options), "start"),
        )
        self.running = True

    def stop(self) -> None:
        if not self.running and not (self.data / "postmaster.pid").exists():
            return
        pg_ctl = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-w"]
        try:
            self._run(*pg_ctl, "-m", "fast", "stop")
        except RuntimeError:
            with contextlib.suppress(RuntimeError):
                self._run(*pg_ctl, "-m", "immediate", "stop")
        self.running = False

    def psql(self, sql: str) -> str:
        command = _as_postgres(
            [
                str(self.bin_dir / "psql"),
                *("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", DB_NAME),
                *("-X", "-A", "-t", "-q", "-c", sql),
            ]
        )
        result = subprocess.run(command, cwd="/", text=True, capture_output=True, check=True)
        return result.stdout.strip()


# --- redis -------------------------------------------------------------------------------------
def stop_process(process: subprocess.Popen[bytes], grace: float) -> None:
    """SIGTERM, then SIGKILL to the whole session (a Celery worker's pool children too)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
    # The pool children may outlive a parent that died first: kill what is left of its group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(10)


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A Redis server on a free loopback port that writes nothing to disk; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing: apt-get install -y redis-server")
    port = free_port()
    folder = workdir / "redis"
    folder.mkdir(exist_ok=True)
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(folder)]
    with (folder / "log").open("wb") as log:
        # Its own session: a Ctrl-C at the terminal reaches only us, and we stop it last.
        process = subprocess.Popen(
            command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
        )
    try:
        wait_for_port(port, 20, alive=process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(process, 10)


# --- gunicorn ----------------------------------------------------------------------------------
@dataclass
class Gunicorn:
    """`gunicorn itaportal.wsgi` on 127.0.0.1:port with the given environment."""

    process: subprocess.Popen[bytes]
    port: int
    workers: int
    log: Path

    @classmethod
    @contextlib.contextmanager
    def start(
        cls,
        env: Mapping[str, str],
        *,
        workers: int,
        log: Path,
        extra: Sequence[str] = (),
    ) -> Iterator[Gunicorn]:
        port = free_port()
        command = [
            str(VENV_BIN / "gunicorn"),
            "itaportal.wsgi",
            *("--config", str(ROOT / "deploy" / "gunicorn.conf.py")),  # as deployed
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--timeout", "60", "--backlog", "2048", "--error-logfile", str(log)),
            *extra,
        ]
        # Its own session: a Ctrl-C at the terminal reaches us, and we stop it in order.
        with log.open("ab") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=dict(env),
                stdout=out,
                stderr=out,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        server = cls(process, port, workers, log)
        try:
            wait_for_port(port, 60, alive=process)
            server.wait_ready()
            yield server
        finally:
            server.stop()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Until a worker answers a request (any status)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=10).close()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn does not answer")

    def wait_idle(self, timeout: float = 120) -> None:
        """Until no worker uses CPU any more: requests a client gave up on are finished."""
        deadline = time.monotonic() + timeout
        before = -1
        while time.monotonic() < deadline:
            busy = sum(_cpu_ticks(pid) for pid in _children(self.process.pid))
            if busy == before:
                return
            before = busy
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in task.read_text().split()]
    return found


def _cpu_ticks(pid: int) -> int:
    """User + system clock ticks of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
