"""README.md runs as written: every ```bash block, in order, against a live demo server.

The convention (README, "Development"): a block fenced ```bash is an example against the demo
that `make run` serves, and this test runs it; any other fence (```sh, ```console, none) is
shown, not run: deployment steps, make targets, command synopses. A search whose comment says
`# → claims 12, 11` must find exactly those claims.

Each block runs under `bash -euo pipefail` in a scratch folder whose `.venv` is this
interpreter's environment, with `$KEY` set to the demo's admin key and curl failing on any
HTTP error (4xx or 5xx), so an example that quietly answers 404 fails here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from live_server import demo_server

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PORT = 8302
BASE = f"http://127.0.0.1:{PORT}"
README_ORIGIN = "http://127.0.0.1:8000"
FENCE = re.compile(r"^```bash\n(.*?)^```$", re.MULTILINE | re.DOTALL)
EXPECTED = re.compile(r"curl .*?'(http://[^']*)'.*#\s*→\s*claims?\s+([\d, ]+)")

pytestmark = pytest.mark.stack


def examples() -> list[tuple[int, str]]:
    text = README.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, found.start()) + 1, found.group(1)) for found in FENCE.finditer(text)
    ]


def test_the_readme_has_examples_to_run():
    assert len(examples()) >= 8


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """gunicorn on a fresh SQLite file with the demo, and a scratch folder to run from."""
    where = tmp_path_factory.mktemp("readme")
    (where / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    tools = where / "tools"
    tools.mkdir()
    real_curl = shutil.which("curl")
    assert real_curl, "the README's examples need curl"
    (tools / "curl").write_text(f'#!/bin/sh\nexec {real_curl} --fail-with-body "$@"\n')
    (tools / "curl").chmod(0o755)
    settings = {
        "CLAIMTRACK_SECRET_KEY": "readme",
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": None,
    }
    with demo_server(where, PORT, settings) as live:
        yield {"env": {**live.env, "KEY": live.key}, "cwd": where}


@pytest.mark.parametrize(("line", "block"), examples(), ids=[f"line {n}" for n, _ in examples()])
def test_each_example_runs_as_written(demo, line, block):
    script = block.replace(README_ORIGIN, BASE)

    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=demo["cwd"],
        env=demo["env"],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, (
        f"README.md, the block at line {line} failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    for url, ids in EXPECTED.findall(block):
        with urllib.request.urlopen(url.replace(README_ORIGIN, BASE), timeout=30) as response:
            found = [item["id"] for item in json.load(response)["items"]]
        expected = [int(id) for id in re.findall(r"\d+", ids)]
        assert sorted(found) == sorted(expected), (line, url, found)
