"""Live-server fixtures. test/sdk/python-sdk.test.ts starts a real voxflow stack and passes:
VOXFLOW_BASE_URL, VOXFLOW_TEST_KEY (paid, with credits), VOXFLOW_TEST_BROKE_KEY (paid, 0 credits),
VOXFLOW_TEST_POOR_KEY (paid, 1 credit), VOXFLOW_TEST_AUDIO (short real speech, mp3),
VOXFLOW_TEST_AUDIO_TEXT (its reference transcript), VOXFLOW_TEST_LONG_AUDIO (66 s: 2 credits).
The server runs with VOXFLOW_ANON_JOBS_PER_DAY=0, so any anonymous job is a 429."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SDK_DIR = Path(__file__).resolve().parents[1]


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is unset: run these tests through test/sdk/python-sdk.test.ts")
    return value


@pytest.fixture(scope="session")
def base_url() -> str:
    return _env("VOXFLOW_BASE_URL")


@pytest.fixture(scope="session")
def api_key() -> str:
    return _env("VOXFLOW_TEST_KEY")


@pytest.fixture(scope="session")
def broke_key() -> str:
    return _env("VOXFLOW_TEST_BROKE_KEY")


@pytest.fixture(scope="session")
def poor_key() -> str:
    return _env("VOXFLOW_TEST_POOR_KEY")


@pytest.fixture(scope="session")
def long_audio() -> str:
    return _env("VOXFLOW_TEST_LONG_AUDIO")


@pytest.fixture(scope="session")
def audio() -> str:
    return _env("VOXFLOW_TEST_AUDIO")


@pytest.fixture(scope="session")
def reference_words() -> set:
    return set(re.findall(r"[a-z']+", _env("VOXFLOW_TEST_AUDIO_TEXT").lower()))


def words_of(text: str) -> set:
    return set(re.findall(r"[a-z']+", text.lower()))


@pytest.fixture(scope="session")
def client(base_url, api_key):
    from voxflow import Client

    with Client(api_key=api_key, base_url=base_url, poll_interval=0.3) as c:
        yield c


@pytest.fixture(scope="session")
def voxflow_cli(tmp_path_factory) -> Path:
    """The `voxflow` console script, installed from sdk/python (a copy: no build files left in the
    tree) into a temporary prefix, as `pip install voxflow` would install it."""
    root = tmp_path_factory.mktemp("cli")
    src = root / "src"
    shutil.copytree(SDK_DIR, src, ignore=shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "tests"))
    prefix = root / "prefix"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--no-build-isolation", "--no-index", "--prefix", str(prefix), str(src)], check=True)
    script = prefix / "bin" / "voxflow"
    assert script.exists(), "the console_scripts entry `voxflow` was not installed"
    site = next(prefix.glob("lib/python*/site-packages"))
    os.environ["VOXFLOW_CLI_SITE"] = str(site)
    return script
