"""A small Chrome DevTools Protocol driver for Debian's headless Chromium.

It starts ``/usr/bin/chromium`` on a fresh profile, connects to the page target
over the DevTools WebSocket (loopback only), sends commands, keeps every event
it receives so tests can read them afterwards, and always kills the browser and
removes its profile, so a test run leaves nothing behind. Every wait has a
deadline: a hung browser fails a test instead of hanging CI.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import websocket

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--remote-debugging-port=0",
)
# Pages under test must never reach the network, even when they are broken:
# every http(s)/ws(s) request goes to a closed loopback port and fails there,
# while DevTools still reports it (Network.requestWillBeSent) for the checks.
OFFLINE_FLAGS = ("--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>")
LOOPBACK = "127.0.0.1"
DEFAULT_TIMEOUT = 30.0


class BrowserError(RuntimeError):
    """Chromium did not start, answer or behave within its deadline."""


class DevToolsSession:
    """One DevTools WebSocket connection: commands in, responses and events out."""

    def __init__(self, websocket_url: str, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self.events: list[dict] = []
        self._next_id = 0
        self._connection = websocket.create_connection(
            websocket_url,
            timeout=timeout,
            suppress_origin=True,  # Chromium refuses unknown Origin headers
            http_no_proxy=[LOOPBACK],  # never route loopback through a proxy
        )

    def close(self) -> None:
        self._connection.close()

    def send(
        self, method: str, params: dict | None = None, timeout: float | None = None
    ) -> dict:
        """Run one command and return its result; events meanwhile are kept."""
        self._next_id += 1
        command_id = self._next_id
        message = {"id": command_id, "method": method, "params": params or {}}
        self._connection.send(json.dumps(message))
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._receive(deadline, f"the reply to {method}")
            if reply.get("id") == command_id:
                if "error" in reply:
                    raise BrowserError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})

    def wait_for_event(
        self,
        method: str,
        timeout: float | None = None,
        since: int = 0,
        matches: Callable[[dict], bool] = lambda params: True,
    ) -> dict:
        """The params of the first ``method`` event from index ``since`` on."""
        deadline = time.monotonic() + (timeout or self.timeout)
        position = since
        while True:
            for event in self.events[position:]:
                if event["method"] == method and matches(event["params"]):
                    return event["params"]
            position = len(self.events)
            self._receive(deadline, f"the event {method}")

    def collect_events(self, duration: float) -> None:
        """Keep reading events for ``duration`` seconds (late requests, logs)."""
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            try:
                self._receive(deadline, "late events")
            except BrowserError:
                return

    def events_named(self, method: str, since: int = 0) -> list[dict]:
        """The params of every ``method`` event received from index ``since`` on."""
        return [e["params"] for e in self.events[since:] if e["method"] == method]

    def evaluate(self, expression: str, timeout: float | None = None):
        """The JSON value of a JavaScript expression; promises are awaited."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description", details["text"])
            raise BrowserError(f"JavaScript failed: {text}\n{expression}")
        return result["result"].get("value")

    def _receive(self, deadline: float, awaited: str) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError(f"Chromium gave no {awaited} in time")
        self._connection.settimeout(remaining)
        try:
            message = json.loads(self._connection.recv())
        except websocket.WebSocketTimeoutException as error:
            raise BrowserError(f"Chromium gave no {awaited} in time") from error
        if "method" in message and "id" not in message:
            self.events.append(message)
        return message


@contextmanager
def chromium_page(
    binary: Path = CHROMIUM, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[DevToolsSession]:
    """A DevTools session on the blank page of a new headless Chromium."""
    if not binary.exists():
        raise BrowserError(
            f"{binary} is missing: install Debian's chromium "
            "(apt-get install chromium), as CI does"
        )
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    with tempfile.TemporaryFile() as log:
        command = [
            str(binary),
            *LAUNCH_FLAGS,
            *OFFLINE_FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        # Its own process group, so the browser's helpers end with it.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        try:
            port = _devtools_port(profile, process, log, timeout)
            session = DevToolsSession(_page_websocket_url(port, timeout), timeout)
            try:
                yield session
            finally:
                session.close()
        finally:
            _stop(process)
            shutil.rmtree(profile, ignore_errors=True)


def _devtools_port(profile: Path, process, log, timeout: float) -> int:
    """The port Chromium chose, from the DevToolsActivePort file it writes."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BrowserError(
                f"Chromium exited with status {process.returncode} before "
                f"listening:\n{_tail(log)}"
            )
        lines = port_file.read_text().splitlines() if port_file.exists() else []
        if len(lines) >= 2 and lines[0].isdigit():
            return int(lines[0])
        time.sleep(0.05)
    raise BrowserError(f"Chromium wrote no {port_file.name} in {timeout} s")


def _page_websocket_url(port: int, timeout: float) -> str:
    """The DevTools WebSocket URL of the first page target, asked on loopback."""
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    url = f"http://{LOOPBACK}:{port}/json/list"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with no_proxy.open(url, timeout=timeout) as response:
                targets = json.load(response)
        except OSError:
            targets = []
        pages = [t for t in targets if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.05)
    raise BrowserError(f"Chromium listed no page target at {url} in {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    """End the browser, then anything left in its process group (ours alone)."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _tail(log, characters: int = 3000) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-characters:]
