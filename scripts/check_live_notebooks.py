"""Browser check: every chart of every notebook is drawn where a person looks at it.

Live (default): starts a Jupyter server on 127.0.0.1 with a random token (the classic notebook,
or JupyterLab with --lab) and opens each notebook in it. Export (--export): converts each
notebook with a plain `nbconvert --to html` and opens the page. Either way headless Chromium,
driven over the DevTools protocol, waits until the page has drawn as many charts (loaded images,
SVG or canvas with marks) as the .ipynb holds chart outputs, and the check fails otherwise, or
when a chart shows as text (its stand-in, or an SVG sanitised down to its words), or when a live
notebook opens untrusted. A full-page screenshot of each goes to OUT/<name>.live.png or
OUT/<name>.png (long notebooks in parts: -1.png, -2.png, ...).

Usage: check_live_notebooks.py FOLDER OUT [--lab | --export] [--python PYTHON] [--chromium CHROMIUM]
The live check needs JUPYTER_PATH to hold the tslab kernel (scripts/jupyter-env.sh sets it).
"""
import argparse
import asyncio
import base64
import glob
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from tornado.websocket import websocket_connect

CHART_TYPES = ("application/vnd.vegalite.v5+json", "image/png", "image/svg+xml")
# Chromium cannot capture one image much taller than 16384 px: longer pages come in parts.
MAX_SHOT = 12000

# What the page shows, for the classic notebook and for JupyterLab. A chart counts as drawn when
# it is a loaded image, or an SVG/canvas with marks in it.
PROBE = {
    "classic": """(() => {
      const nb = window.IPython && IPython.notebook;
      const areas = [...document.querySelectorAll('.output_subarea')];
      const images = areas.flatMap(a => [...a.querySelectorAll('img')]).filter(i => i.complete && i.naturalWidth > 0);
      const svgs = areas.flatMap(a => [...a.querySelectorAll('svg')]).filter(s => s.querySelector('path, rect, line'));
      const canvases = areas.flatMap(a => [...a.querySelectorAll('canvas')]).filter(c => c.width > 0);
      return { ready: !!(nb && nb._fully_loaded), trusted: nb ? nb.trusted : null,
               drawn: images.length + svgs.length + canvases.length,
               fallback: areas.filter(a => a.textContent.includes('<Vega-Lite chart:')).length,
               height: (document.querySelector('#header')?.offsetHeight || 0) + (document.querySelector('#notebook')?.scrollHeight || document.body.scrollHeight) };
    })()""",
    "lab": """(() => {
      const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
      const images = outputs.flatMap(o => [...o.querySelectorAll('img')]).filter(i => i.complete && i.naturalWidth > 0);
      const vega = outputs.flatMap(o => [...o.querySelectorAll('.vega-embed canvas, .vega-embed svg')]).filter(e => e instanceof HTMLCanvasElement ? e.width > 0 : !!e.querySelector('path'));
      const panel = document.querySelector('.jp-WindowedPanel-outer') || document.querySelector('.jp-NotebookPanel-notebook');
      document.querySelectorAll('.Toastify__toast').forEach(t => t.remove());  // the news prompt would cover the notebook
      const untrusted = document.querySelector('.jp-NotebookTrustedStatus, [data-status="not-trusted"]');
      return { ready: !!panel && document.querySelectorAll('.jp-Cell').length > 0, trusted: untrusted ? !/not/i.test(untrusted.getAttribute('title') || '') : true,
               drawn: images.length + vega.length,
               fallback: outputs.filter(o => o.textContent.includes('<Vega-Lite chart:')).length,
               height: panel ? panel.scrollHeight + 120 : document.body.scrollHeight };
    })()""",
    "export": """(() => {
      const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
      const images = outputs.flatMap(o => [...o.querySelectorAll('img')]).filter(i => i.complete && i.naturalWidth > 0);
      const svgs = outputs.flatMap(o => [...o.querySelectorAll('svg')]).filter(s => s.querySelector('path, rect, line'));
      const stripped = [...document.querySelectorAll('[data-mime-type="image/svg+xml"]')].filter(o => !o.querySelector('svg, img')).length;
      return { ready: document.readyState === 'complete', trusted: true, drawn: images.length + svgs.length,
               fallback: outputs.filter(o => o.textContent.includes('<Vega-Lite chart:')).length + stripped,
               height: document.documentElement.scrollHeight };
    })()""",
}
# How the page scrolls to a given offset, for screenshots in parts.
SCROLLER = {"classic": "document.querySelector('#site')", "lab": "document.querySelector('.jp-WindowedPanel-outer')", "export": "null"}


def count_charts(path):
    with open(path, encoding="utf-8") as handle:
        nb = json.load(handle)
    return sum(
        any(kind in output.get("data", {}) for kind in CHART_TYPES)
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
    )


def stop(process, grace=20):
    """Ends a process this script started: politely, then for sure."""
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(python, folder, lab, log):
    port = free_port()
    token = secrets.token_hex(16)
    app = "ServerApp" if lab else "NotebookApp"
    # Checkpoints the server makes on opening go to a temporary folder, not beside the notebooks.
    checkpoints = tempfile.mkdtemp(prefix="cf-checkpoints-")
    command = [python, "-m", "jupyterlab" if lab else "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--{app}.token={token}", f"--notebook-dir={folder}", f"--{app}.port_retries=0", f"--FileCheckpoints.checkpoint_dir={checkpoints}"]
    if os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses root unless told
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Jupyter server exited with {server.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return server, base, token, checkpoints
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"the Jupyter server did not answer within 60 s; see {log.name}")


def start_chromium(chromium, profile):
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"]
    browser = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = browser.stderr.readline()
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            return browser, found.group(1)
        if not line and browser.poll() is not None:
            break
    browser.kill()
    raise RuntimeError("Chromium did not start its DevTools endpoint")


class DevTools:
    """A minimal DevTools-protocol client over one browser websocket (flattened sessions)."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0

    @classmethod
    async def connect(cls, url):
        return cls(await websocket_connect(url, max_message_size=1 << 30))

    async def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        await self.ws.write_message(json.dumps(message))
        deadline = time.time() + timeout
        while True:
            remaining = deadline - time.time()
            if remaining <= 0:
                raise TimeoutError(f"no answer to {method} within {timeout} s")
            raw = await asyncio.wait_for(self.ws.read_message(), remaining)
            if raw is None:
                raise RuntimeError("Chromium closed the DevTools connection")
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})


async def evaluate(cdp, session, expression):
    result = await cdp.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)
    return result.get("result", {}).get("value")


async def check_notebook(cdp, url, ui, expected, shot_prefix, timeout):
    target = (await cdp.send("Target.createTarget", {"url": "about:blank"}))["targetId"]
    session = (await cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
    try:
        await cdp.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session)
        await cdp.send("Page.enable", {}, session)
        await cdp.send("Page.navigate", {"url": url}, session)
        state, stable_since, deadline = None, None, time.time() + timeout
        # Drawn means: the page is loaded, the count reached what the notebook holds and stayed there for 2 s.
        while time.time() < deadline:
            await asyncio.sleep(0.5)
            now = await evaluate(cdp, session, PROBE[ui]) or {}
            if now != state:
                state, stable_since = now, time.time()
            if state.get("ready") and state.get("drawn", 0) >= expected and time.time() - stable_since >= 2:
                break
        state = state or {}
        # Full page: a viewport as tall as the notebook (in parts when that's too tall for one image).
        height = int(state.get("height") or 1000)
        shots = []
        parts = max(1, -(-height // MAX_SHOT))
        part_height = -(-height // parts)
        await cdp.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": part_height, "deviceScaleFactor": 1, "mobile": False}, session)
        await asyncio.sleep(1.5)  # the notebook lays itself out again on resize
        for part in range(parts):
            await evaluate(cdp, session, f"(() => {{ const s = {SCROLLER[ui]}; if (s) s.scrollTop = {part * part_height}; else window.scrollTo(0, {part * part_height}); }})()")
            await asyncio.sleep(0.5)
            shot = await cdp.send("Page.captureScreenshot", {"format": "png"}, session, timeout=120)
            name = f"{shot_prefix}.png" if parts == 1 else f"{shot_prefix}-{part + 1}.png"
            with open(name, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            shots.append(name)
        return state, shots
    finally:
        await cdp.send("Target.closeTarget", {"targetId": target})


def export_html(python, notebook, out):
    """A plain `nbconvert --to html`, as a reader would make it; returns the page's file URL."""
    done = subprocess.run([python, "-m", "nbconvert", "--to", "html", "--output-dir", out, notebook], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"nbconvert failed on {notebook}:\n{done.stderr[-2000:]}")
    name = os.path.splitext(os.path.basename(notebook))[0]
    return "file://" + urllib.request.pathname2url(os.path.abspath(os.path.join(out, f"{name}.html")))


async def check_all(args, notebooks, base, token):
    profile = tempfile.mkdtemp(prefix="cf-chromium-")
    browser, endpoint = start_chromium(args.chromium, profile)
    failures = 0
    try:
        cdp = await DevTools.connect(endpoint)
        for path in notebooks:
            name = os.path.splitext(os.path.basename(path))[0]
            expected = count_charts(path)
            if args.export:
                url, ui, prefix = export_html(args.python, path, args.out), "export", name
            else:
                # JupyterLab's single-document mode: the notebook without the side panels.
                route = "doc/tree" if args.lab else "notebooks"
                url = f"{base}/{route}/{urllib.request.quote(os.path.basename(path))}?token={token}"
                ui, prefix = ("lab" if args.lab else "classic"), f"{name}.live"
            state, shots = await check_notebook(cdp, url, ui, expected, os.path.join(args.out, prefix), args.timeout)
            drawn, fallback, trusted = state.get("drawn", 0), state.get("fallback", 0), state.get("trusted")
            problems = []
            if expected == 0:
                problems.append("the notebook holds no charts (was it executed?)")
            if drawn < expected:
                problems.append(f"only {drawn} of {expected} charts drawn")
            if fallback:
                problems.append(f"{fallback} charts shown as text")
            if trusted is False:
                problems.append("the notebook opened untrusted")
            if not state.get("ready"):
                problems.append("the page never finished loading")
            if problems:
                failures += 1
                print(f"FAIL {name}: {'; '.join(problems)} ({', '.join(shots)})", file=sys.stderr)
            else:
                where = "the HTML export" if args.export else "the live page, trusted"
                print(f"ok   {name}: {drawn} of {expected} charts drawn in {where} ({', '.join(shots)})")
    finally:
        stop(browser)
        shutil.rmtree(profile, ignore_errors=True)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("out")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--lab", action="store_true", help="check in JupyterLab instead of the classic notebook")
    mode.add_argument("--export", action="store_true", help="check a plain nbconvert HTML export instead of a live notebook")
    parser.add_argument("--python", default=sys.executable, help="the Python whose Jupyter serves the notebooks")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for one notebook's charts")
    args = parser.parse_args()
    notebooks = sorted(glob.glob(os.path.join(args.folder, "*.ipynb")))
    if not notebooks:
        print(f"no notebooks in {args.folder}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    if args.export:
        return 1 if asyncio.run(check_all(args, notebooks, None, None)) else 0
    with open(os.path.join(args.out, "jupyter-server.log"), "w") as log:
        server, base, token, checkpoints = start_server(args.python, os.path.abspath(args.folder), args.lab, log)
        try:
            failures = asyncio.run(check_all(args, notebooks, base, token))
        finally:
            stop(server)
            shutil.rmtree(checkpoints, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
