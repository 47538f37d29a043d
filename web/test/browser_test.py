#!/usr/bin/python3
"""The web edition in headless Chromium (Debian's chromium + chromium-driver,
driven by python3-selenium), served from 127.0.0.1 by this script:

- every bundled scenario opened with ?scenario=..., its summary required to
  equal `hopsim run --summary` byte for byte;
- the page asks for nothing beyond its own files;
- a scenario with a mistake shows the loader's located problem;
- screenshots of a lesson mid-animation written to --shots DIR (look at them).

Usage: web/test/browser_test.py [--site build-web/site] [--hopsim build/hopsim] [--shots DIR]
Exit status 0 when everything holds, 1 otherwise."""
import argparse
import functools
import http.server
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.keys import Keys

ROOT = pathlib.Path(__file__).resolve().parents[2]


class Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


def serve(site):
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def browser(downloads=None):
    o = webdriver.ChromeOptions()
    if downloads:
        o.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
              "--disable-background-networking", "--no-first-run"):
        o.add_argument(a)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=o)


def wait_state(d, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        s = d.execute_script("return document.body.dataset.state")
        if s in ("done", "error"):
            return s
        time.sleep(0.05)
    return "timeout"


def native_summary(hopsim, scenario):
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run([hopsim, "run", str(scenario), "--summary", f.name, "-q"], check=True, stderr=subprocess.DEVNULL)
        return pathlib.Path(f.name).read_text()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default=str(ROOT / "build-web" / "site"))
    ap.add_argument("--hopsim", default=str(ROOT / "build" / "hopsim"))
    ap.add_argument("--shots", default="")
    args = ap.parse_args()
    server, base = serve(args.site)
    downloads = pathlib.Path(tempfile.mkdtemp(prefix="hopsim-downloads-"))
    d = browser(downloads)
    failures = []
    try:
        for scenario in sorted((ROOT / "scenarios").glob("[0-9]*.json")):
            started = time.time()
            d.get(f"{base}?scenario=scenarios/{scenario.name}")
            state = wait_state(d)
            page = d.execute_script("return document.getElementById('summary').textContent")
            same = state == "done" and page == native_summary(args.hopsim, scenario)
            print(f"{'same' if same else 'DIFFERENT'}  {scenario.name}  ({state}, {time.time() - started:.2f} s)")
            if not same:
                failures.append(f"{scenario.name}: the page's summary differs from hopsim run --summary ({state})")
            outside = d.execute_script(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin))")
            if outside:
                failures.append(f"{scenario.name}: requests outside the page's own files: {outside}")

        # A student's path: 03-hub-vs-switch, watch, click a frame for its five layers, download a pcap and the trace.
        d.get(f"{base}?scenario=scenarios/03-hub-vs-switch.json")
        wait_state(d)
        picture = d.find_element(By.ID, "picture")
        icmp = (60 << 24) | (160 << 16) | (80 << 8) | 255  # the envelope colour of ICMP (viz::colour)
        envelopes = []
        for _ in range(40):  # play until an echo request or reply is on a wire, then stop there
            picture.send_keys(Keys.SPACE)
            time.sleep(0.25)
            picture.send_keys(Keys.SPACE)
            time.sleep(0.15)
            envelopes = [i for i in d.execute_script("return window.hopsimLastItems") if i[0] == "r" and i[3] == 18 and i[4] == 12 and i[5] == icmp]
            if envelopes:
                break
        if not envelopes:
            failures.append("03-hub-vs-switch: no ICMP frame in flight to click after 10 s of play")
        else:
            x, y = envelopes[0][1] + 9, envelopes[0][2] + 6
            size = d.execute_script("return [arguments[0].clientWidth, arguments[0].clientHeight]", picture)
            webdriver.ActionChains(d).move_to_element_with_offset(picture, x - size[0] / 2, y - size[1] / 2).click().perform()
            time.sleep(0.5)
            texts = [i[1] for i in d.execute_script("return window.hopsimLastItems") if i[0] == "t"]
            layers = [t for t in texts if t[:2] in ("1 ", "2 ", "3 ", "4 ", "5 ")]
            print(f"clicked a frame: inspector shows {layers}")
            for want in ("1 Physical", "2 Link: Ethernet II", "3 Network: IPv4", "4 ICMP", "5 Application"):
                if not any(t.startswith(want) for t in layers):
                    failures.append(f"03-hub-vs-switch: after clicking a frame the inspector lacks {want!r}")
        with tempfile.TemporaryDirectory() as native:
            scenario = ROOT / "scenarios" / "03-hub-vs-switch.json"
            subprocess.run([args.hopsim, "run", str(scenario), "--pcap", native, "--trace", f"{native}/trace.jsonl", "-q"], check=True)
            d.find_element(By.CSS_SELECTOR, "#downloads summary").click()
            for link in d.find_elements(By.CSS_SELECTOR, "#download-list a"):
                if link.text.endswith(".pcap (Wireshark)") or link.text.endswith("trace.jsonl"):
                    link.click()
            time.sleep(2)
            pcaps = sorted(pathlib.Path(native).glob("*.pcap"))
            for p in pcaps:
                got = downloads / p.name
                if not got.exists() or got.read_bytes() != p.read_bytes():
                    failures.append(f"downloaded {p.name} {'differs from' if got.exists() else 'missing, unlike'} hopsim run --pcap's")
            got = downloads / "03-hub-vs-switch-trace.jsonl"
            if not got.exists() or got.read_bytes() != pathlib.Path(f"{native}/trace.jsonl").read_bytes():
                failures.append("the downloaded trace differs from hopsim run --trace's")
            print(f"downloads: {len(pcaps)} pcaps and the trace compared with hopsim run's")

        # t shows only the routing tables: 08's three routers' routes and no ARP cache.
        d.get(f"{base}?scenario=scenarios/08-router-chain.json")
        wait_state(d)
        d.find_element(By.ID, "picture").send_keys("t")
        time.sleep(0.5)
        titles = [i[1] for i in d.execute_script("return window.hopsimLastItems") if i[0] == "t" and (i[1].endswith(" routes") or i[1].endswith(" cache"))]
        print(f"t: tables shown {titles}")
        if sorted(titles) != ["R1 routes", "R2 routes", "R3 routes"]:
            failures.append(f"08-router-chain: after t the tables shown are {titles}, not the three routers' routes")

        # Editing: the schema's description of the key at the cursor.
        d.find_element(By.ID, "toggle-editor").click()
        hint = d.execute_script("""
            const t = document.getElementById('text');
            const at = t.value.indexOf('"bandwidth"') + 13;
            t.focus(); t.setSelectionRange(at, at);
            t.dispatchEvent(new KeyboardEvent('keyup'));
            return document.getElementById('hint').textContent;""")
        schema = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
        wanted = []
        def find(node):
            if isinstance(node, dict):
                if "bandwidth" in node.get("properties", {}) and "description" in node["properties"]["bandwidth"]:
                    wanted.append(node["properties"]["bandwidth"]["description"])
                for v in node.values():
                    find(v)
            elif isinstance(node, list):
                for v in node:
                    find(v)
        find(schema)
        print(f"editor hint at \"bandwidth\": {hint!r}")
        if not wanted or hint != "bandwidth: " + wanted[0]:
            failures.append(f"the editor's hint for bandwidth is {hint!r}, the schema says {wanted[:1]}")

        # A mistake in the scenario: the loader's located problem, on the page.
        d.get(f"{base}#text=" + __import__("base64").b64encode(
            json.dumps({"nodes": {"A": {"kind": "host", "ip": "10.0.0.1/24"}}, "links": [{"endpoints": ["A", "R9"]}]}).encode()).decode())
        state = wait_state(d)
        problems = d.find_element(By.ID, "problems").text
        print(f"bad scenario: {state}: {problems!r}")
        if state != "error" or 'unknown node "R9"' not in problems:
            failures.append(f"a bad scenario did not show its problem (state {state}, problems {problems!r})")

        if args.shots:  # at a projector's 1280x720
            d.set_window_size(1280, 720)
            shots = pathlib.Path(args.shots)
            shots.mkdir(parents=True, exist_ok=True)
            for name, query, seconds in (("03-hub-vs-switch", "?scenario=scenarios/03-hub-vs-switch.json", 2.5),
                                         ("01-vs-02", "?scenario=scenarios/01-hub-broadcast.json&with=scenarios/02-switch-learning.json", 1.5),
                                         ("08-router-chain", "?scenario=scenarios/08-router-chain.json", 3.0)):
                d.get(base + query)
                wait_state(d)
                d.find_element(By.ID, "picture").send_keys(Keys.SPACE)
                time.sleep(seconds)
                d.find_element(By.ID, "picture").send_keys(Keys.SPACE)
                time.sleep(0.3)
                d.save_screenshot(str(shots / f"{name}.png"))
                print(f"screenshot {shots / (name + '.png')}")
    finally:
        d.quit()
        server.shutdown()
        shutil.rmtree(downloads, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print("browser tests:", "all hold" if not failures else f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
