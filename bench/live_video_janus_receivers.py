"""One publisher, N lightweight receivers, one Janus (the Debian package) on this machine.

The publisher is an aiortc peer sending a synthetic VP8 stream (a moving bar) into a VideoRoom;
N aiortc receivers subscribe to it through Janus's VideoRoom (multistream ``streams``). The
receivers do not decode: each counts the whole VP8 frames its jitter buffer assembles (the
frames Janus delivered), so the receivers' side stays light and the figures measure Janus.

For each N it reports Janus's CPU (percent of one core, averaged over the window) and resident
memory, the frames each receiver got per second against the frames the publisher sent, how many
receivers got a frame at all, and the time from asking to subscribe to the first whole frame
(median, max). The receivers live in this one Python process (the figure ``bench_cpu`` says how
much it took): on a 2-core machine shared with others it is the receivers, not Janus, that run
out first; the figures say so by the frames per second they reach.

    .venv/bin/python bench/live_video_janus_receivers.py --quick          # 10 and 50
    .venv/bin/python bench/live_video_janus_receivers.py --width 1280 --height 720 --fps 30
    .venv/bin/python bench/live_video_janus_receivers.py                  # 10, 50, 100, 200

Needs the Debian package janus and aiortc (pip).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fractions
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import av  # noqa: E402
import numpy  # noqa: E402
import psutil  # noqa: E402
from aiortc import (  # noqa: E402
    RTCPeerConnection,
    RTCSessionDescription,
    VideoStreamTrack,
    rtcrtpreceiver,
)

from bench._report import emit, print_table  # noqa: E402
from roadshow.live import janus_local  # noqa: E402

ADMIN_KEY = "bench-videoroom-admin-key"
ROOM = 4242


class CountingDecoder:
    """Stands in for the VP8 decoder: hands each assembled (encoded) frame on as it is."""

    def decode(self, encoded_frame: Any) -> list[Any]:
        return [encoded_frame]


rtcrtpreceiver.get_decoder = lambda codec: CountingDecoder()  # type: ignore[assignment]


class Bars(VideoStreamTrack):
    """A synthetic camera: a bar moving across a grey picture, ``fps`` frames a second."""

    def __init__(self, width: int, height: int, fps: int) -> None:
        super().__init__()
        self.fps = fps
        self.sent = 0
        self.started = time.monotonic()
        base = numpy.full((height, width, 3), 96, dtype=numpy.uint8)
        self.pictures = []
        for step in range(30):
            picture = base.copy()
            left = step * width // 30
            picture[:, left:left + width // 15] = (220, 60, 40)
            self.pictures.append(picture)

    async def recv(self) -> av.VideoFrame:
        target = self.started + self.sent / self.fps
        await asyncio.sleep(max(0.0, target - time.monotonic()))
        frame = av.VideoFrame.from_ndarray(self.pictures[self.sent % 30], format="rgb24")
        frame.pts = self.sent * (90000 // self.fps)
        frame.time_base = fractions.Fraction(1, 90000)
        self.sent += 1
        return frame


class Janus:
    """One Janus session over the HTTP API; a long poll hands each handle its events."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url = http, url
        self.session = 0
        self.queues: dict[int, asyncio.Queue[dict[str, Any]]] = {}
        self.poller: asyncio.Task[None] | None = None
        self.counter = 0

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        self.counter += 1
        async with self.http.post(f"{self.url}{path}",
                                  json={**body, "transaction": f"t{self.counter}"}) as reply:
            return dict(await reply.json(content_type=None))

    async def open(self) -> None:
        self.session = (await self.post("", {"janus": "create"}))["data"]["id"]
        self.poller = asyncio.create_task(self.poll())

    async def poll(self) -> None:
        while True:
            try:
                async with self.http.get(f"{self.url}/{self.session}?maxev=20",
                                         timeout=aiohttp.ClientTimeout(total=70)) as reply:
                    events = await reply.json(content_type=None)
            except (aiohttp.ClientError, TimeoutError):
                continue
            for event in events if isinstance(events, list) else [events]:
                queue = self.queues.get(event.get("sender", 0))
                if queue is not None:
                    queue.put_nowait(event)

    async def attach(self) -> int:
        handle = int((await self.post(f"/{self.session}", {
            "janus": "attach", "plugin": "janus.plugin.videoroom"}))["data"]["id"])
        self.queues[handle] = asyncio.Queue()
        return handle

    async def message(self, handle: int, body: dict[str, Any],
                      jsep: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a plugin request; its synchronous answer or, when acked, its event."""
        message: dict[str, Any] = {"janus": "message", "body": body}
        if jsep is not None:
            message["jsep"] = jsep
        answer = await self.post(f"/{self.session}/{handle}", message)
        if answer.get("janus") != "ack":
            return answer
        while True:
            event = await asyncio.wait_for(self.queues[handle].get(), 30)
            if event.get("janus") == "event":
                return event

    async def detach(self, handle: int) -> None:
        await self.post(f"/{self.session}/{handle}", {"janus": "detach"})
        self.queues.pop(handle, None)


def jsep_of(pc: RTCPeerConnection) -> dict[str, Any]:
    return {"type": pc.localDescription.type, "sdp": pc.localDescription.sdp, "trickle": False}


async def publish(janus: Janus, track: Bars) -> tuple[RTCPeerConnection, int]:
    handle = await janus.attach()
    await janus.message(handle, {"request": "create", "room": ROOM, "admin_key": ADMIN_KEY,
                                 "publishers": 1, "videocodec": "vp8", "bitrate": 1_000_000})
    joined = await janus.message(handle, {"request": "join", "ptype": "publisher", "room": ROOM,
                                          "display": "bench"})
    feed = int(joined["plugindata"]["data"]["id"])
    pc = RTCPeerConnection()
    pc.addTransceiver(track, direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    answer = await janus.message(handle, {"request": "publish", "audio": False, "video": True},
                                 jsep_of(pc))
    await pc.setRemoteDescription(RTCSessionDescription(**{
        k: answer["jsep"][k] for k in ("type", "sdp")}))
    return pc, feed


class Receiver:
    def __init__(self) -> None:
        self.frames = 0
        self.bytes = 0
        self.asked = 0.0
        self.first: float | None = None
        self.pc: RTCPeerConnection | None = None
        self.handle = 0
        self.counting: asyncio.Task[None] | None = None

    async def subscribe(self, janus: Janus, feed: int) -> None:
        self.asked = time.monotonic()
        self.handle = await janus.attach()
        offer = await janus.message(self.handle, {"request": "join", "ptype": "subscriber",
                                                  "room": ROOM, "streams": [{"feed": feed}]})
        self.pc = pc = RTCPeerConnection()

        @pc.on("track")
        def on_track(track: Any) -> None:
            self.counting = asyncio.create_task(self.count(track))

        await pc.setRemoteDescription(RTCSessionDescription(**{
            k: offer["jsep"][k] for k in ("type", "sdp")}))
        await pc.setLocalDescription(await pc.createAnswer())
        await janus.message(self.handle, {"request": "start"}, jsep_of(pc))

    async def count(self, track: Any) -> None:
        while True:
            try:
                frame = await track.recv()
            except Exception:  # noqa: BLE001 - the track ended (MediaStreamError)
                return
            if self.first is None:
                self.first = time.monotonic()
            self.frames += 1
            self.bytes += len(frame.data)

    async def close(self, janus: Janus) -> None:
        if self.pc is not None:
            await self.pc.close()
        if self.counting is not None:
            self.counting.cancel()
        with contextlib.suppress(aiohttp.ClientError):
            await janus.detach(self.handle)


async def measure(janus: Janus, feed: int, track: Bars, size: int, window: float,
                  process: psutil.Process) -> dict[str, Any]:
    receivers = [Receiver() for _ in range(size)]
    bench_process = psutil.Process()
    for start in range(0, size, 10):  # ten at a time, as an audience arrives
        await asyncio.gather(*(r.subscribe(janus, feed)
                               for r in receivers[start:start + 10]), return_exceptions=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(r.first is None for r in receivers):
        await asyncio.sleep(0.5)
    frames_before = [r.frames for r in receivers]
    bytes_before = [r.bytes for r in receivers]
    sent_before = track.sent
    process.cpu_percent()
    bench_process.cpu_percent()
    began = time.monotonic()
    await asyncio.sleep(window)
    elapsed = time.monotonic() - began
    janus_cpu = process.cpu_percent()
    bench_cpu = bench_process.cpu_percent()
    rates = [(r.frames - b) / elapsed for r, b in zip(receivers, frames_before, strict=True)]
    kbps = [(r.bytes - b) * 8 / 1000 / elapsed
            for r, b in zip(receivers, bytes_before, strict=True)]
    firsts = [r.first - r.asked for r in receivers if r.first is not None]
    row = {
        "receivers": size,
        "with_frames": len(firsts),
        "sent_fps": round((track.sent - sent_before) / elapsed, 1),
        "received_fps_median": round(statistics.median(rates), 1),
        "received_fps_min": round(min(rates), 1),
        "received_kbps_median": round(statistics.median(kbps)),
        "delivered": round(statistics.median(rates) * elapsed / max(1, track.sent - sent_before), 3),
        "first_frame_median_s": round(statistics.median(firsts), 2) if firsts else None,
        "first_frame_max_s": round(max(firsts), 2) if firsts else None,
        "janus_cpu": round(janus_cpu, 1),
        "janus_rss_mb": round(process.memory_info().rss / 2**20, 1),
        "bench_cpu": round(bench_cpu, 1),
    }
    await asyncio.gather(*(r.close(janus) for r in receivers), return_exceptions=True)
    await asyncio.sleep(2)
    return row


def start_janus(folder: Path, ports: int) -> subprocess.Popen[bytes]:
    """janus_local's configuration with an RTP port range wide enough for every receiver."""
    port = janus_local.free_port()
    config = janus_local.write_config(folder, port, ADMIN_KEY, 20000)
    text = config.read_text().replace('rtp_port_range = "20000-20199"',
                                      f'rtp_port_range = "20000-{20000 + ports}"')
    config.write_text(text.replace("debug_level = 4", "debug_level = 2"))
    log = open(folder / "janus.log", "ab")  # noqa: SIM115 - closed with the process below
    process = subprocess.Popen(["janus", "-F", str(folder), "-C", str(config)],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/janus"
    for _ in range(100):
        if janus_local.answers(url):
            (folder / "url").write_text(url)
            return process
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("Janus did not answer")


async def run(sizes: list[int], window: float, width: int, height: int, fps: int
              ) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="janus-bench-") as tmp:
        folder = Path(tmp)
        process = start_janus(folder, max(sizes) * 2 + 100)
        try:
            async with aiohttp.ClientSession() as http:
                janus = Janus(http, (folder / "url").read_text())
                await janus.open()
                track = Bars(width, height, fps)
                publisher, feed = await publish(janus, track)
                await asyncio.sleep(3)
                for size in sizes:
                    row = await measure(janus, feed, track, size, window,
                                        psutil.Process(process.pid))
                    rows.append(row)
                    print_table(f"Janus, {size} receivers", [row])
                await publisher.close()
                if janus.poller is not None:
                    janus.poller.cancel()
        finally:
            process.terminate()
            process.wait(timeout=10)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,100,200")
    parser.add_argument("--quick", action="store_true", help="10 and 50 receivers, 5 s windows")
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=15)
    args = parser.parse_args()
    if janus_local.installed() is None:
        sys.exit("Janus is not installed (apt-get install janus)")
    if args.quick:
        args.sizes, args.window = "10,50", 5.0
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = asyncio.run(run(sizes, args.window, args.width, args.height, args.fps))
    print_table("One publisher, N aiortc receivers through one Janus", rows)
    largest = max(rows, key=lambda r: r["receivers"])
    figures = {"picture": f"{args.width}x{args.height} VP8 at {args.fps} fps", "rows": rows,
               "largest_all_with_frames": largest["with_frames"] == largest["receivers"],
               "largest_first_frame_max_s": largest["first_frame_max_s"],
               "largest_janus_cpu": largest["janus_cpu"]}
    emit("live_video_janus_receivers", figures,
         {"largest_first_frame_max_s": {"max": 10.0}})


if __name__ == "__main__":
    main()
