"""Many viewers opening one page at once, over Streamlit's own websocket protocol (no browser).

Starts two real servers with the project's ``.streamlit/config.toml``: the app (on the demo database
unless ``--database`` is given) and ``benchmarks/minimal_page.py`` (one table, one chart). For each
``--users N`` it opens N sessions to each server at the same moment, asks each for its first script
run as a browser does, and prints the median and the worst time until the run finished, errors, and
the app's worst divided by the minimal page's worst (target: at most 3 at 40 users).

    .venv/bin/python benchmarks/viewers.py --users 1 10 40 [--page present] [--query year=2025]
    .venv/bin/python benchmarks/viewers.py --root /tmp/old-checkout   # serve another checkout's app.py and config

A benchmark that prints figures, not a test: the machine is shared, so compare runs made side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

SESSION_TIMEOUT_S = 180


@dataclass
class Wave:
    """The outcome of N simultaneous first runs."""

    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def worst(self) -> float:
        return max(self.seconds) if self.seconds else float("nan")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(script: Path, cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """``streamlit run SCRIPT`` from ``cwd`` (so that folder's .streamlit/config.toml applies)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process, port
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"{script} exited with {process.returncode}")
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"{script} did not start")


def _rerun_message(page: str, query: str) -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    return message.SerializeToString()


def _problem(message: ForwardMsg) -> str | None:
    """An error the page showed or the run's failure, else None."""
    kind = message.WhichOneof("type")
    if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
        if message.delta.new_element.WhichOneof("type") == "exception":
            return f"exception: {message.delta.new_element.exception.message[:200]}"
    if kind == "page_not_found":
        return "page not found"
    if kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
        return f"script finished with status {message.script_finished}"
    return None


async def first_run(port: int, page: str, query: str) -> float:
    """Seconds from opening a session until its first script run finished; raises on any error."""
    start = time.perf_counter()
    async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
                       max_size=None, open_timeout=SESSION_TIMEOUT_S) as socket:
        await socket.send(_rerun_message(page, query))
        async for raw in socket:
            message = ForwardMsg()
            message.ParseFromString(raw)  # type: ignore[arg-type]
            if (problem := _problem(message)) is not None:
                raise RuntimeError(problem)
            if message.WhichOneof("type") == "script_finished":
                return time.perf_counter() - start
    raise RuntimeError("connection closed before the run finished")


async def wave(port: int, page: str, query: str, users: int) -> Wave:
    """``users`` sessions opened at the same moment."""
    result = Wave()
    outcomes = await asyncio.gather(
        *(asyncio.wait_for(first_run(port, page, query), SESSION_TIMEOUT_S) for _ in range(users)),
        return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            result.errors.append(repr(outcome))
        else:
            result.seconds.append(outcome)
    return result


def _database(args: argparse.Namespace, folder: Path) -> str:
    if args.database:
        return str(args.database)
    from dashboard.services import demo

    url, _report = demo.create_demo_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 10, 40])
    parser.add_argument("--page", default="", help="url path of the page (default: '' = the default page, 总览)")
    parser.add_argument("--query", default="", help="query string, e.g. year=2025&slide=2")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose app.py and config are served")
    parser.add_argument("--database", help="database URL (default: a fresh demo database)")
    args = parser.parse_args()
    root = args.root.resolve()
    with tempfile.TemporaryDirectory(prefix="kpi-viewers-") as folder:
        env = {**os.environ, "KPI_DATABASE_URL": _database(args, Path(folder)), "PYTHONPATH": str(root)}
        servers = {"app": start_server(root / "app.py", root, env),
                   "minimal": start_server(ROOT / "benchmarks" / "minimal_page.py", root, env)}
        try:
            pages = {"app": args.page, "minimal": ""}
            for name, (_process, port) in servers.items():  # warm-up: imports, database, caches
                asyncio.run(wave(port, pages[name], args.query, 1))
            print(f"served from {root}, page '{args.page or '(default: 总览)'}'")
            print(f"{'users':>5}  {'server':<8}{'median s':>10}{'worst s':>10}{'errors':>8}")
            for users in args.users:
                waves = {}
                for name, (_process, port) in servers.items():
                    waves[name] = asyncio.run(wave(port, pages[name], args.query, users))
                    w = waves[name]
                    print(f"{users:>5}  {name:<8}{w.median:>10.2f}{w.worst:>10.2f}{len(w.errors):>8}")
                    for error in sorted(set(w.errors))[:3]:
                        print(f"         {error}")
                ratio = waves["app"].worst / waves["minimal"].worst
                print(f"{users:>5}  worst app / worst minimal = {ratio:.1f}x (target <= 3x at 40 users)")
        finally:
            for process, _port in servers.values():
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
