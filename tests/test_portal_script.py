"""scripts/portal: the site address `run` gives the portal, read from the address it serves."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "portal"


def site_url_for(addr: str) -> str:
    command = 'source "$1"; site_url_for "$2"'  # sourced: main does not run
    done = subprocess.run(
        ["bash", "-c", command, "bash", str(SCRIPT), addr],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8001", "http://127.0.0.1:8001"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000"),
        ("0:9000", "http://127.0.0.1:9000"),
        ("[::1]:8000", "http://[::1]:8000"),
        ("ita.local:8080", "http://ita.local:8080"),
    ],
)
def test_it_gives_links_and_qr_codes_the_address_it_serves(addr: str, url: str) -> None:
    assert site_url_for(addr) == url


def test_run_exports_the_address_unless_one_is_configured() -> None:
    text = SCRIPT.read_text()
    run = text[text.index("cmd_run() {") : text.index("\n}\n", text.index("cmd_run() {"))]
    assert 'ITAPORTAL_SITE_URL="${ITAPORTAL_SITE_URL:-$(site_url_for "$addr")}"' in run
    assert "export ITAPORTAL_SITE_URL" in run
    assert run.index("export ITAPORTAL_SITE_URL") < run.index("runserver")


def _fake_python(folder: Path, name: str, minor: int) -> Path:
    """An interpreter that answers the script's questions as Python 3.`minor` would."""
    path = folder / name
    path.write_text(
        "#!/bin/bash\n"
        'case "$2" in\n'
        f"  *sys.exit*) exit {0 if minor >= 12 else 1} ;;\n"
        f'  *version_info*executable*) echo {minor} "$0" ;;\n'
        f"  *version_info*) echo {minor} ;;\n"
        '  *sys.executable*) echo "$0" ;;\n'
        "esac\n"
    )
    path.chmod(0o755)
    return path


def pythons(
    tmp_path: Path, function: str, venv_minor: int | None = None, distribution: int | None = None
) -> list[str]:
    """What `function` prints with fake Pythons 3.13, 3.12 and 3.11 on PATH (as pyenv's shims
    are), and the distribution's 3.`distribution` in its own folder (none: an empty one)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, minor in (("python3.13", 13), ("python3.12", 12), ("python3", 11)):
        _fake_python(bin_dir, name, minor)
    system = tmp_path / "usr-bin"
    system.mkdir(exist_ok=True)
    if distribution is not None:
        _fake_python(system, f"python3.{distribution}", distribution)
    venv = tmp_path / "venv"
    if venv_minor is not None:
        (venv / "bin").mkdir(parents=True, exist_ok=True)
        _fake_python(venv / "bin", "python", venv_minor)
    command = f'source "$1"; VENV="$2"; DISTRIBUTION_BIN="$3"; {function}'
    done = subprocess.run(
        ["bash", "-c", command, "bash", str(SCRIPT), str(venv), str(system)],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path),
             "PYENV_ROOT": str(tmp_path / "no-pyenv")},
    )  # fmt: skip
    return [line for line in done.stdout.splitlines() if str(tmp_path) in line]


def test_the_portal_is_built_on_the_newest_python_found(tmp_path: Path) -> None:
    found = pythons(tmp_path, "pythons_found")
    assert found == [f"13 {tmp_path}/bin/python3.13", f"12 {tmp_path}/bin/python3.12"]
    assert pythons(tmp_path, "find_python") == [f"{tmp_path}/bin/python3.13"]


def test_the_distribution_s_python_comes_before_pyenv_s_of_the_same_version(
    tmp_path: Path,
) -> None:
    """Debian's is built with profile-guided and link-time optimisation, pyenv's by default
    without: gunicorn spent 14 % more CPU on the same pages (bench/README.md, session 35)."""
    found = pythons(tmp_path, "pythons_found", distribution=13)
    assert found == [f"13 {tmp_path}/usr-bin/python3.13", f"12 {tmp_path}/bin/python3.12"]
    assert pythons(tmp_path, "find_python", distribution=13) == [f"{tmp_path}/usr-bin/python3.13"]
    # A newer version still comes first, wherever it is.
    other = tmp_path / "other"
    other.mkdir()
    assert pythons(other, "find_python", distribution=12) == [f"{other}/bin/python3.13"]


@pytest.mark.parametrize(("venv_minor", "other"), [(13, "python3.12"), (12, "python3.13")])
def test_the_postgresql_run_takes_the_other_python(
    tmp_path: Path, venv_minor: int, other: str
) -> None:
    assert pythons(tmp_path, "other_python", venv_minor) == [f"{tmp_path}/bin/{other}"]
