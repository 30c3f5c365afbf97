"""Headless Chromium driven over the Chrome DevTools Protocol, for the map tests and bench.

The protocol runs over ``--remote-debugging-pipe`` (file descriptors 3 and 4 of the
child, NUL-separated JSON), so no websocket library and no port are needed. The
network is off three ways: a proxy that goes nowhere, a host resolver that resolves
nothing, and DevTools' offline emulation; every request the page makes is recorded
so tests can assert there were none but the page itself.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
]
# Allow the page's own alert() calls to be counted, not shown (a hostile name must not make one).
ALERT_TRAP = (
    "window.__alerts = 0;"
    "window.alert = window.confirm = window.prompt = function () { window.__alerts += 1; };"
)


def chromium_path() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


class BrowserError(RuntimeError):
    """Chromium failed, or a DevTools command returned an error."""


@dataclass
class PageLoad:
    """What happened while a page loaded: console errors, exceptions, requests, timings."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        self.width, self.height = width, height
        self._proc: subprocess.Popen[bytes] | None = None
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self.session: str | None = None
        self.load = PageLoad()

    # --- process and transport ---------------------------------------------------------
    def __enter__(self) -> Browser:
        exe = chromium_path()
        if not exe:
            raise BrowserError("Chromium is not installed (apt-get install -y chromium)")
        self._profile = tempfile.mkdtemp(prefix="chainkg-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # in the child: DevTools reads fd 3 and writes fd 4
            # Copy first: a pipe end may itself be fd 3 or 4, and dup2 onto itself
            # would keep its close-on-exec flag.
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self._proc = subprocess.Popen(
            [
                exe,
                *FLAGS,
                f"--user-data-dir={self._profile}",
                f"--window-size={self.width},{self.height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,  # only dup2 in the child: safe without threads holding locks
            close_fds=False,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        try:
            self._attach()
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            with contextlib.suppress(Exception):
                self.send("Browser.close", session=False, timeout=5)
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def _read_message(self, deadline: float) -> dict[str, Any] | None:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._from_child], [], [], left)
            if not ready:
                return None
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: bool = True,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """Send a DevTools command (to the page's session by default) and return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply is None:
                raise BrowserError(f"{method}: no answer within {timeout} s")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._record(reply)

    def _record(self, event: dict[str, Any]) -> None:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(
                str(a.get("value", a.get("description", ""))) for a in params.get("args", [])
            )
            self.load.console_errors.append(text)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.load.console_errors.append(
                details.get("exception", {}).get("description") or details.get("text", "exception")
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            self.load.console_errors.append(params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            self.load.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Page.javascriptDialogOpening":
            self.load.dialogs.append(params.get("message", ""))
        self._events.append(event)

    def _wait_event(self, method: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(i)
            message = self._read_message(deadline)
            if message is None:
                raise BrowserError(f"no {method} within {timeout} s")
            self._record(message)

    def _attach(self) -> None:
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send(
            "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False
        )["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.send(f"{domain}.enable")
        self.send(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})

    # --- page ------------------------------------------------------------------------------
    def open(
        self,
        path: Path,
        ready: str = "window.chainkgMap && window.chainkgMap.ready && window.chainkgMap.complete",
        timeout: float = 30,
    ) -> float:
        """Open a local file and wait until ``ready`` is true; returns seconds until then.

        By default a map page is ready when it is interactive and its deferred data (folded
        firms, facts, ties) is unpacked: ``chainkgMap.complete``.
        """
        self.load = PageLoad()
        self._events.clear()
        start = time.monotonic()
        self.send("Page.navigate", {"url": Path(path).resolve().as_uri()})
        self._wait_event("Page.loadEventFired", timeout)
        while not self.evaluate(f"!!({ready})"):
            if time.monotonic() - start > timeout:
                raise BrowserError(
                    f"the page was not ready within {timeout} s: {self.load.console_errors}"
                )
            time.sleep(0.01)
        return time.monotonic() - start

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable values)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(
                details.get("exception", {}).get("description") or details.get("text")
            )
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A left click at page coordinates."""
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the viewport."""
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def drain(self, seconds: float = 0.2) -> None:
        """Collect events (console messages, requests) that arrive within ``seconds``."""
        deadline = time.monotonic() + seconds
        while (message := self._read_message(deadline)) is not None:
            self._record(message)
