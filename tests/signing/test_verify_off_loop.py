"""Checking an uploaded PDF on the public verify page runs on the render thread: under
``roadshow serve`` (gevent) other requests and the live rooms go on while pyHanko reads a large
upload (a 20 MB file of 240,000 objects took 0.7 s of CPU, during which the hub answered
nothing)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GEVENT_PROBE = r"""
from gevent import monkey
monkey.patch_all()
import sys
import tempfile
from pathlib import Path

import gevent

sys.path.insert(0, {root!r})
from roadshow.signing import seal, verification


def many_objects(count):
    parts, offsets, size = [b"%PDF-1.4\n"], [], 9
    for number in range(1, count + 1):
        body = b"%d 0 obj\n<< /N %d >>\nendobj\n" % (number, number)
        offsets.append(size)
        parts.append(body)
        size += len(body)
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1)]
    xref += [b"%010d 00000 n \n" % offset for offset in offsets]
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count + 1, size)
    return b"".join(parts + xref + [trailer])


ticks = []


def ticker():
    while True:
        ticks.append(1)
        gevent.sleep(0.001)


identity = seal.ensure_identity(Path(tempfile.mkdtemp()))
data = many_objects(150_000)
gevent.spawn(ticker)
gevent.sleep(0)
ticks.clear()
check = verification.check_upload(data, identity)
print("seal", check.has_seal)
print("ticks", len(ticks))
"""


def test_the_hub_keeps_running_while_an_upload_is_checked():
    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run([sys.executable, "-c", GEVENT_PROBE.format(root=root)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "seal False" in result.stdout
    assert int(result.stdout.split()[-1]) >= 10, result.stdout
