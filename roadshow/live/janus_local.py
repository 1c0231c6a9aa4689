"""A Janus of its own on this machine, for the demo and the tests: a generated configuration on
free loopback ports (the VideoRoom plugin and the HTTP transport only), started from the Debian
package's binary. Production runs its own Janus (docs/scale-out.md).

``python -m roadshow.live.janus_local FOLDER`` starts one in the background (or finds the one
already running from FOLDER) and prints its HTTP API's URL; bin/demo uses it when Janus is
installed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

LIBS = Path("/usr/lib/x86_64-linux-gnu/janus")
CONFIG = "janus.jcfg"


def installed() -> str | None:
    return shutil.which("janus")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(folder: Path, port: int, admin_key: str | None, rtp_start: int) -> Path:
    """janus.jcfg and its two plugin files in ``folder``; returns janus.jcfg's path."""
    folder.mkdir(parents=True, exist_ok=True)
    plugins = sorted(p.name for p in (LIBS / "plugins").glob("libjanus_*.so")
                     if p.name != "libjanus_videoroom.so")
    transports = sorted(p.name for p in (LIBS / "transports").glob("libjanus_*.so")
                        if p.name != "libjanus_http.so")
    (folder / CONFIG).write_text(f"""general: {{
  configs_folder = "{folder}"
  plugins_folder = "{LIBS / 'plugins'}"
  transports_folder = "{LIBS / 'transports'}"
  events_folder = "{LIBS / 'events'}"
  loggers_folder = "{LIBS / 'loggers'}"
  debug_level = 4
  session_timeout = 60
}}
media: {{ rtp_port_range = "{rtp_start}-{rtp_start + 199}" }}
nat: {{ ignore_mdns = true }}
plugins: {{ disable = "{','.join(plugins)}" }}
transports: {{ disable = "{','.join(transports)}" }}
events: {{ broadcast = false }}
loggers: {{ disable = "libjanus_jsonlog.so" }}
""")
    (folder / "janus.transport.http.jcfg").write_text(f"""general: {{
  base_path = "/janus"
  http = true
  port = {port}
  ip = "127.0.0.1"
}}
admin: {{ admin_http = false }}
cors: {{ allow_origin = "*" }}
""")
    key = f'admin_key = "{admin_key}"' if admin_key else ""
    (folder / "janus.plugin.videoroom.jcfg").write_text(f"general: {{ {key} }}\n")
    return folder / CONFIG


def answers(url: str) -> bool:
    body = json.dumps({"janus": "info", "transaction": "probe"}).encode()
    if not url.startswith("http://127.0.0.1:"):
        return False
    request = urllib.request.Request(  # noqa: S310 - loopback http only, checked above
        url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback
            return bool(json.loads(response.read()).get("janus") == "server_info")
    except (OSError, ValueError):
        return False


def start(folder: Path, admin_key: str | None = None, timeout: float = 20.0
          ) -> tuple[str, subprocess.Popen[bytes]]:
    """Start Janus from ``folder`` (log in folder/janus.log); its URL and process."""
    binary = installed()
    if binary is None:
        raise RuntimeError("Janus is not installed (apt-get install janus)")
    port = free_port()
    config = write_config(folder, port, admin_key, 30000 + (port % 150) * 200)
    with open(folder / "janus.log", "ab") as log:
        # In the caller's process group: stopping bin/demo (Ctrl-C, or a signal to its group)
        # stops its Janus too; in a session of its own it outlived every demo.
        process = subprocess.Popen([binary, "-F", str(folder), "-C", str(config)],  # noqa: S603
                                   stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/janus"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Janus exited: {(folder / 'janus.log').read_text()[-2000:]}")
        if answers(url):
            (folder / "url").write_text(url)
            (folder / "pid").write_text(str(process.pid))
            return url, process
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("Janus did not answer")


def running(folder: Path) -> str | None:
    """The URL of the Janus already started from ``folder``, if it still answers."""
    url_file = folder / "url"
    if url_file.exists() and answers(url_file.read_text().strip()):
        return url_file.read_text().strip()
    return None


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "instance/janus").resolve()
    url = running(folder)
    if url is None:
        url, _process = start(folder)
    print(url)
    return 0


if __name__ == "__main__":
    os.umask(0o077)
    sys.exit(main(sys.argv))
