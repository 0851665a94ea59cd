"""A writer killed with SIGKILL at random moments never leaves a torn file.

A child process rewrites one file over and over, alternating between two
known ~200 KB contents; the parent kills it at random moments. After every
kill the file must be exactly one of the two contents.

Temporary files: a killed writer leaves at most one ``.<name>.<pid>.*.tmp``
behind, and the next successful write of the same file (by any process)
removes it because its writer is dead. So leftovers never exceed one, and
vanish after the next write; both are checked here.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from leadping_tui.store.atomic import atomic_write_bytes

REPO = Path(__file__).resolve().parent.parent
KILLS = 40

CHILD = r"""
import json, sys
from pathlib import Path
from leadping_tui.store.atomic import atomic_write_bytes

def content(which):
    return json.dumps({"which": which, "pad": which * 200_000}).encode()

target = Path(sys.argv[1])
contents = [content("a"), content("b")]
atomic_write_bytes(target, contents[0])
print("ready", flush=True)
i = 0
while True:
    i ^= 1
    atomic_write_bytes(target, contents[i])
"""


def content(which: str) -> bytes:
    return json.dumps({"which": which, "pad": which * 200_000}).encode()


def strays(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_sigkill_mid_write_leaves_old_or_new_content(tmp_path: Path) -> None:
    target = tmp_path / "data" / "watchlist.json"
    expected = {content("a"), content("b")}
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    killed_mid_write = 0
    started = time.monotonic()
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target)], cwd=REPO, stdout=subprocess.PIPE
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == b"ready\n", f"child failed to start (seed {seed})"
            time.sleep(rng.uniform(0, 0.03))  # the random moment of the crash
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
            if child.stdout is not None:
                child.stdout.close()
        data = target.read_bytes()
        assert data in expected, f"torn file after kill {kill} (seed {seed}, {len(data)} bytes)"
        assert json.loads(data)["which"] in ("a", "b")
        leftovers = strays(target.parent)
        # Older leftovers were removed by this child's first write.
        assert len(leftovers) <= 1, f"temp files pile up: {leftovers}"
        killed_mid_write += len(leftovers)
    # Each ~200 KB write with fsync spends most of the loop with a temp file
    # open, so some kills must have landed mid-write; else this test proved nothing.
    assert killed_mid_write > 0, f"no kill landed mid-write (seed {seed})"
    atomic_write_bytes(target, content("a"))
    assert strays(target.parent) == []
    assert target.read_bytes() == content("a")
    assert time.monotonic() - started < 120  # a hang, not a slow machine
