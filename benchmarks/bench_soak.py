"""Many paper opens in one window: nothing grows, nothing stalls.

Opens every paper in ../shared/papers (and the sample) one after the other in one window, twice, waiting
each time for the first page, the analysis and the paper-to-code insights, then scrolls through it; every
fifth paper a repository (the shared ones in turn, and the sample) is opened and traced. After each open it
prints the window's Qt objects, the process's RSS, open file descriptors, threads and live child processes.

Targets (issue 17): over the second pass, the same papers as the first, Qt objects grow by less than one
per open (a leak of one object per page change or per background task shows as 1 or more) and RSS by
less than 5 % of the first pass's end; no event-loop stall over 50 ms while analysing or scrolling.

A stall is counted two ways: the wall-clock gap between two ticks of a 1 ms timer, and the GUI thread's
own CPU time inside that gap (time.thread_time). On a quiet machine they agree; on a shared, loaded one
the wall gap also holds the time the process waited for a core (the idle loop's longest gap in the same
run shows how much), so the verdict is on the CPU time the window's own code held the loop. The longest
wall gap is printed with the CPU the GUI thread and the whole process used inside it: little of either
means the process was waiting for a core, not for its own threads (a worker holding the GIL would show
as process CPU).

    python benchmarks/bench_soak.py [--papers N] [--passes 2] [--shared ../shared]
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp(prefix="reader-soak-"))

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader_app.notes import NotesStore  # noqa: E402
from reader_app.paths import sample_paper, sample_repo  # noqa: E402
from reader_app.ui.app.main_window import MainWindow  # noqa: E402

SHARED = ROOT.parent / "shared"
STALL_BUDGET_S = 0.050
REPO_EVERY = 5


class GapMeter:
    """The longest gap between ticks of a 1 ms timer: how long the event loop was kept from running."""

    def __init__(self):
        self.last, self.last_cpu, self.last_all = time.perf_counter(), time.thread_time(), time.process_time()
        self.longest = self.longest_cpu = 0.0
        self.longest_split = (0.0, 0.0)  # the longest wall gap's CPU: GUI thread, every thread of the process
        self.timer = QTimer(interval=1)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now, cpu, every = time.perf_counter(), time.thread_time(), time.process_time()
        if now - self.last > self.longest:
            self.longest, self.longest_split = now - self.last, (cpu - self.last_cpu, every - self.last_all)
        self.longest_cpu = max(self.longest_cpu, cpu - self.last_cpu)
        self.last, self.last_cpu, self.last_all = now, cpu, every

    def restart(self) -> tuple[float, float]:
        """The longest gap since the last restart, wall-clock and GUI-thread CPU (and start over)."""
        longest = (self.longest, self.longest_cpu, self.longest_split)
        self.longest = self.longest_cpu = 0.0
        self.longest_split = (0.0, 0.0)
        self.last, self.last_cpu, self.last_all = time.perf_counter(), time.thread_time(), time.process_time()
        return longest


def spin(app: QApplication, until=lambda: False, seconds: float = 60.0) -> bool:
    """Run the event loop until `until()` holds (True) or `seconds` pass (False)."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        if until():
            return True
        time.sleep(0.0005)
    return False


def process_figures(window: MainWindow) -> dict:
    """What one open leaves behind: Qt objects under the window, RSS, fds, threads, live children."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    status = Path("/proc/self/status").read_text().splitlines()
    field = {line.split(":")[0]: line.split(":")[1].split() for line in status}
    me, children = str(os.getpid()), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, parent = stat[stat.rindex(")") + 2:].split()[:2]
            children += parent == me and state != "Z"
    return {"qt": len(window.findChildren(QObject)) + len(QApplication.topLevelWidgets()),
            "rss_mb": int(field["VmRSS"][0]) / 1024, "fds": len(os.listdir("/proc/self/fd")),
            "threads": int(field["Threads"][0]), "children": children}


class Listening:
    """Connect slots for one step and disconnect exactly those afterwards (the window's own stay)."""

    def __init__(self, *pairs):
        self.pairs = pairs

    def __enter__(self):
        for signal, slot in self.pairs:
            signal.connect(slot)
        return self

    def __exit__(self, *_exc):
        for signal, slot in self.pairs:
            signal.disconnect(slot)


def papers_and_repos(limit: int | None, shared: Path) -> tuple[list[Path], list[Path]]:
    papers = sorted((shared / "papers").glob("*.pdf")) if (shared / "papers").is_dir() else []
    repos = sorted(p for p in (shared / "repos").iterdir() if p.is_dir()) if (shared / "repos").is_dir() else []
    papers = [sample_paper(), *papers][:limit]
    return papers, [sample_repo(), *repos]


class Soak:
    def __init__(self, app: QApplication, window: MainWindow):
        self.app, self.window, self.meter = app, window, GapMeter()
        self.stalls = {"analysing": 0.0, "scrolling": 0.0}  # GUI-thread CPU inside the longest gap
        self.wall = {"analysing": (0.0, (0.0, 0.0)), "scrolling": (0.0, (0.0, 0.0))}  # longest gap, its CPU
        self.slowest: dict[str, str] = {}

    def _stall(self, phase: str, label: str) -> None:
        wall, cpu, split = self.meter.restart()
        self.wall[phase] = max(self.wall[phase], (wall, split))
        if cpu > self.stalls[phase]:
            self.stalls[phase], self.slowest[phase] = cpu, label

    def open_paper(self, path: Path) -> str:
        window, done = self.window, {}
        insights = window.session.insights_changed.connect(lambda _d: done.setdefault("insights", True))
        with Listening((window.paper_pane.view.first_page_painted, lambda: done.setdefault("page", True)),
                       (window.paper_panels.paper_analysed, lambda _p: done.setdefault("analysis", "ok")),
                       (window.paper_panels.analysis.failed, lambda _m: done.setdefault("analysis", "failed"))):
            self.meter.restart()
            window.open_paper(path)
            spin(self.app, lambda: "page" in done and "analysis" in done, 180)
            spin(self.app, lambda: "insights" in done, 60 if window.repo_root else 0)
            self._stall("analysing", path.name)
            spin(self.app, seconds=0.3)
            self.meter.restart()
            self.scroll()
            self._stall("scrolling", path.name)
        insights()
        return done.get("analysis", "timed out")

    def scroll(self) -> None:
        """Wheel-sized steps every 16 ms, top to bottom (at most 10 s)."""
        bar = self.window.paper_pane.view.verticalScrollBar()
        bar.setValue(0)
        timer = QTimer(interval=16)
        timer.timeout.connect(lambda: bar.setValue(bar.value() + 120))
        timer.start()
        spin(self.app, lambda: bar.value() >= bar.maximum(), 10)
        timer.stop()
        timer.deleteLater()

    def open_and_trace(self, root: Path) -> str:
        window, done = self.window, {}
        with Listening((window.repo_ready, lambda _info: done.setdefault("repo", True)),
                       (window.repo_panels.failed, lambda _m: done.setdefault("repo", False)),
                       (window.trace.traced, lambda result: done.setdefault("trace", "ok" if result.ok else "partial"))):
            window.open_repository(root)
            spin(self.app, lambda: "repo" in done, 120)
            if done.get("repo") and window.session.repo.main is not None:
                window.trace.start()
                spin(self.app, lambda: "trace" in done or not window.trace.busy(), 240)
            self.meter.restart()  # repository work is not what this measures
        return done.get("trace", "no trace")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=None, help="at most this many papers per pass")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared papers and repositories")
    args = parser.parse_args()
    papers, repos = papers_and_repos(args.papers, args.shared)
    app = QApplication(sys.argv[:1])
    window = MainWindow(NotesStore.open())
    window.resize(1440, 900)
    window.show()
    soak = Soak(app, window)
    spin(app, seconds=1.5)
    idle = soak.meter.restart()[0]
    rows: list[list[dict]] = []
    opens = 0
    print(f"{len(papers)} papers x {args.passes} passes; a repository opened and traced every {REPO_EVERY}th open")
    print(f"{'pass':>4} {'open':>4} {'Qt objects':>10} {'RSS MB':>7} {'fds':>4} {'threads':>7} {'children':>8}  paper")
    for number in range(args.passes):
        rows.append([])
        for index, paper in enumerate(papers):
            opens += 1
            note = ""
            if opens % REPO_EVERY == 0:
                repo = repos[(opens // REPO_EVERY - 1) % len(repos)]
                note = f"  + {repo.name}: {soak.open_and_trace(repo)}"
            outcome = soak.open_paper(paper)
            figures = process_figures(window)
            rows[-1].append(figures)
            print(f"{number + 1:>4} {index + 1:>4} {figures['qt']:>10} {figures['rss_mb']:>7.1f} {figures['fds']:>4} "
                  f"{figures['threads']:>7} {figures['children']:>8}  {paper.name[:40]} ({outcome}){note}", flush=True)
    window.close()
    spin(app, seconds=0.5)

    first, last = rows[0], rows[-1]
    qt_growth = (last[-1]["qt"] - first[-1]["qt"]) / max(1, len(last) * (len(rows) - 1))
    rss_growth = (last[-1]["rss_mb"] - first[-1]["rss_mb"]) / first[-1]["rss_mb"]
    print(f"\nQt objects: {first[-1]['qt']} after pass 1, {last[-1]['qt']} after pass {len(rows)}: "
          f"{qt_growth:+.2f} per open (target < 1)")
    print(f"RSS: {first[-1]['rss_mb']:.1f} MB after pass 1, {last[-1]['rss_mb']:.1f} MB after pass {len(rows)}: "
          f"{rss_growth * 100:+.1f} % (target < 5 %)")
    for key in ("fds", "threads", "children"):
        print(f"{key}: max {max(r[key] for r in first)} in pass 1, max {max(r[key] for r in last)} in pass {len(rows)}")
    for phase, gap in soak.stalls.items():
        print(f"longest event-loop stall while {phase}: {gap * 1000:.1f} ms of GUI-thread CPU "
              f"({soak.slowest.get(phase, '-')}; budget {STALL_BUDGET_S * 1000:.0f} ms); "
              f"longest wall-clock gap {soak.wall[phase][0] * 1000:.1f} ms (CPU inside it: GUI thread "
              f"{soak.wall[phase][1][0] * 1000:.1f} ms, the whole process {soak.wall[phase][1][1] * 1000:.1f} ms)")
    print(f"longest gap of the idle loop in the same run: {idle * 1000:.1f} ms "
          f"(ratio worst wall-clock gap / idle: {max(w[0] for w in soak.wall.values()) / max(idle, 1e-4):.1f}x)")
    ok = (len(rows) < 2 or (qt_growth < 1 and rss_growth < 0.05)) and max(soak.stalls.values()) <= STALL_BUDGET_S
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
