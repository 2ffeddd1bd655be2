"""Smoke test of the built bundle: `python packaging/smoke.py [dist/reader-app]` (or `make smoke`).

Runs the bundle the way a user would, away from the source checkout: opens the sample offscreen with
--screenshot and checks the PNG is a real window, traces the sample repository through the bundle's
own executable (it is the tracing child too), and reports the bundle's size and largest parts.
Exit status 1 when a check fails.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
PAINT_TARGET_S = 3.0
SCREENSHOT_RUNS = 3
MIN_WINDOW = (640, 400)
# Path parts that must not be in the bundle: CUDA libraries, test suites, unused heavy packages.
FORBIDDEN = ("libcudart", "libcublas", "libcudnn", "libnccl", "libnvrtc", "libcusparse", "libcufft",
             "torch/test/", "torch/include/", "_pytest/", "pytestqt/", "onnxruntime/", "pymupdf4llm/",
             "pymupdf/layout/", "PySide6/Qt/translations/", "resources/sample/make_paper.py")


class Checks:
    """Collects pass/fail lines.

    Attributes:
        failures: the messages of the checks that failed.
    """

    def __init__(self):
        self.failures: list[str] = []

    def check(self, ok: bool, message: str) -> bool:
        print(f"  [{'ok' if ok else 'FAIL'}] {message}")
        if not ok:
            self.failures.append(message)
        return ok


def user_env(home: Path) -> dict[str, str]:
    """A user's environment: no source checkout or venv on any path, a fresh data folder, no display."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    env.update(QT_QPA_PLATFORM="offscreen", READER_APP_HOME=str(home))
    return env


def window_problem(png: Path) -> str | None:
    """Why the PNG is not a picture of the window, or None."""
    pix = pymupdf.Pixmap(str(png))
    if pix.width < MIN_WINDOW[0] or pix.height < MIN_WINDOW[1]:
        return f"{pix.width}x{pix.height} is smaller than a window"
    samples, n = pix.samples, pix.n
    step = max(1, (pix.width * pix.height) // 20000)  # about 20,000 pixels spread over the image
    colours: dict[bytes, int] = {}
    for index in range(0, pix.width * pix.height, step):
        colour = samples[index * n:index * n + 3]
        colours[colour] = colours.get(colour, 0) + 1
    total = sum(colours.values())
    commonest = max(colours.values()) / total
    if len(colours) < 16 or commonest > 0.95:
        return f"nearly blank ({len(colours)} colours, {commonest:.0%} one colour)"
    return None


def screenshot(exe: Path, work: Path, run: int, checks: Checks) -> float | None:
    """Start the bundle on the sample; seconds from launch until the PNG is written."""
    out = work / f"window-{run}.png"
    started = time.time()
    proc = subprocess.run([str(exe), "--screenshot", str(out), "--sample"], cwd=work, env=user_env(work / "home"),
                          capture_output=True, text=True, timeout=120)
    if not checks.check(proc.returncode == 0 and out.is_file(),
                        f"run {run}: window screenshot written (exit {proc.returncode})"):
        print(proc.stderr[-2000:])
        return None
    seconds = out.stat().st_mtime - started
    problem = window_problem(out)
    checks.check(problem is None, f"run {run}: {out.name} shows the window" + (f": {problem}" if problem else ""))
    print(f"        start to PNG {seconds:.2f} s, process exit {time.time() - started:.2f} s")
    return seconds


def trace(exe: Path, work: Path, checks: Checks) -> None:
    """`reader-app trace resources/sample/repo --json` through the bundle; the JSON must name a model's layers."""
    repo = exe.parent / "_internal" / "resources" / "sample" / "repo"
    started = time.time()
    proc = subprocess.run([str(exe), "trace", str(repo), "--json"], cwd=work, env=user_env(work / "home"),
                          capture_output=True, text=True, timeout=300)
    seconds = time.time() - started
    checks.check(proc.returncode == 0, f"trace exit status {proc.returncode} in {seconds:.2f} s")
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        checks.check(False, "trace printed JSON")
        print(proc.stdout[-1000:], proc.stderr[-2000:])
        return
    layers = result.get("layers") or []
    shaped = [layer for layer in layers if any(call.get("out") for call in layer.get("calls", []))]
    checks.check(result.get("error") is None, f"trace reports no error ({result.get('error')})")
    checks.check(bool(result.get("class")) and len(shaped) >= 2,
                 f"traced {result.get('class')}: {len(layers)} layers, {len(shaped)} with output shapes, "
                 f"{len(result.get('lines') or [])} forward() lines, device {result.get('device')}")


def install_roundtrip(bundle: Path, work: Path, checks: Checks) -> None:
    """install.sh (from the bundle's top) into a scratch ~/.local, run the installed command, uninstall.sh."""
    prefix = work / "local"
    env = {**user_env(work / "home"), "PREFIX": str(prefix), "XDG_DATA_HOME": str(prefix / "share")}
    run = subprocess.run(["sh", str(bundle / "install.sh")], env=env, capture_output=True, text=True, timeout=300)
    installed = [prefix / "bin" / "reader-app", prefix / "share" / "applications" / "reader-app.desktop",
                 prefix / "share" / "metainfo" / "io.github.reader_app.metainfo.xml",
                 prefix / "share" / "icons" / "hicolor" / "48x48" / "apps" / "reader-app.png",
                 prefix / "share" / "icons" / "hicolor" / "scalable" / "apps" / "reader-app.svg"]
    missing = [str(p.relative_to(prefix)) for p in installed if not p.exists()]
    if not checks.check(run.returncode == 0 and not missing, "install.sh puts the command, launcher, metainfo "
                        f"and icons under the prefix (exit {run.returncode}, missing {missing or 'nothing'})"):
        print(run.stdout, run.stderr)
        return
    version = subprocess.run([str(installed[0]), "--version"], env=env, capture_output=True, text=True, timeout=60)
    checks.check(version.returncode == 0, f"installed command runs: {version.stdout.strip()}")
    launcher = installed[1].read_text(encoding="utf-8")
    checks.check(f'Exec="{prefix}/lib/reader-app/reader-app" %f' in launcher, "launcher runs the installed bundle")
    subprocess.run(["sh", str(bundle / "uninstall.sh")], env=env, capture_output=True, text=True, timeout=120)
    left = [str(p.relative_to(prefix)) for p in installed + [prefix / "lib" / "reader-app"] if p.exists()]
    checks.check(not left, f"uninstall.sh removes them (left: {left or 'nothing'})")


def tree_size(path: Path) -> int:
    """Bytes of the files under path; links (PyInstaller links top-level libraries to their package) count 0."""
    if path.is_symlink():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def report_size(bundle: Path, checks: Checks) -> None:
    """Bundle size, the largest parts of _internal/ and its largest files; nothing forbidden inside."""
    du = subprocess.run(["du", "-sh", str(bundle)], capture_output=True, text=True).stdout.split()[0]
    print(f"  bundle size (du -sh): {du}")
    internal = bundle / "_internal"
    parts = sorted(((tree_size(p), p.name) for p in internal.iterdir()), reverse=True)
    print("  largest parts of _internal/:")
    for size, name in parts[:12]:
        print(f"    {size / 1e6:8.1f} MB  {name}")
    files = sorted(((p.stat().st_size, p) for p in internal.rglob("*") if p.is_file() and not p.is_symlink()),
                   reverse=True)
    print("  largest files:")
    for size, path in files[:8]:
        print(f"    {size / 1e6:8.1f} MB  {path.relative_to(internal)}")
    for package in ("torch", "pymupdf"):  # Help > About reads their versions from this metadata
        found = [p.name for p in internal.glob("*.dist-info") if p.name.lower().startswith(package + "-")]
        checks.check(bool(found), f"{package} metadata for Help > About: {found[0] if found else 'missing'}")
    names = [str(p.relative_to(internal)) for p in internal.rglob("*")]
    found = sorted({word for word in FORBIDDEN for name in names if word in name + "/"})
    checks.check(not found, "no CUDA libraries, test suites, onnxruntime, pymupdf4llm or Qt translations"
                 + (f" (found: {', '.join(found)})" if found else ""))


def main(argv: list[str]) -> int:
    bundle = Path(argv[1] if len(argv) > 1 else ROOT / "dist" / "reader-app").resolve()
    exe = bundle / "reader-app"
    if not exe.is_file():
        print(f"smoke: no bundle at {bundle} (run 'make package' first)", file=sys.stderr)
        return 2
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="reader-smoke-") as tmp:
        work = Path(tmp)
        print(f"Screenshot of the sample, offscreen ({SCREENSHOT_RUNS} runs):")
        times = [t for t in (screenshot(exe, work, run, checks) for run in range(1, SCREENSHOT_RUNS + 1))
                 if t is not None]
        if times:
            checks.check(min(times) < PAINT_TARGET_S,
                         f"start to PNG: first {times[0]:.2f} s, best {min(times):.2f} s "
                         f"(target under {PAINT_TARGET_S:g} s)")
        print("Trace of the sample repository through the bundle:")
        trace(exe, work, checks)
        print("Install into a scratch prefix and uninstall:")
        install_roundtrip(bundle, work, checks)
    print("Contents:")
    report_size(bundle, checks)
    print("smoke: " + ("all checks passed" if not checks.failures else f"{len(checks.failures)} check(s) failed"))
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
