"""Before Qt loads: are the system libraries the window needs on this machine? Qt's own answer is a
plugin error and an abort ("could not load the Qt platform plugin xcb"); the reader gets one line
naming the Debian/Ubuntu packages to install instead. Reads the libraries with `ldd`; imports no Qt.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

# sonames Qt's libraries and platform plugins link against -> the Debian/Ubuntu package holding each
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb.so.1": "libxcb1", "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0", "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6", "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1", "libOpenGL.so.0": "libopengl0", "libGLX.so.0": "libglx0",
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6", "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-client.so.0": "libwayland-client0", "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
# the platform plugin Qt picks, with the Qt library behind it
PLUGINS = {"xcb": ("libqxcb.so", "libQt6XcbQpa.so.6"), "wayland": ("libqwayland.so", "libQt6WaylandClient.so.6")}
ALWAYS = ("libQt6Gui.so.6", "libQt6Widgets.so.6")


def qt_folder() -> Path | None:
    """PySide6's bundled Qt, found without importing it (the import itself fails when libraries miss)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def platform_name(env: dict) -> str:
    """The platform plugin Qt will load, by its own rules: QT_QPA_PLATFORM, else Wayland in a Wayland
    session, else X11."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def unresolved(libraries: list[Path]) -> list[str]:
    """The sonames `ldd` cannot find for these libraries (none when ldd itself is missing)."""
    ldd = shutil.which("ldd")
    missing: list[str] = []
    for library in libraries:
        if not ldd or not library.is_file():
            continue
        try:
            out = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        for line in out.splitlines():
            name, _, where = line.strip().partition(" => ")
            if where.strip() == "not found" and name not in missing:
                missing.append(name)
    return missing


def install_hint(missing: list[str]) -> str:
    packages = sorted({PACKAGES[name] for name in missing if name in PACKAGES})
    unknown = [name for name in missing if name not in PACKAGES]
    parts = []
    if packages:
        parts.append("sudo apt install " + " ".join(packages))
    if unknown:
        parts.append("and the packages providing " + ", ".join(unknown))
    return " ".join(parts)


def window_problem(env: dict | None = None, qt: Path | None = None) -> str | None:
    """One sentence saying why the window cannot start on this machine, or None when it can."""
    env = dict(os.environ if env is None else env)
    qt = qt or qt_folder()
    platform = platform_name(env)
    if qt is None or platform not in PLUGINS:  # offscreen, vnc, eglfs...: nothing of the desktop's needed
        return None
    if platform == "xcb" and not env.get("DISPLAY"):
        return ("There is no display to show the window on (DISPLAY is not set); run it in a desktop session, "
                "or render it offscreen: QT_QPA_PLATFORM=offscreen reader-app --screenshot window.png")
    plugin, backend = PLUGINS[platform]
    libraries = [qt / "lib" / name for name in ALWAYS] + [qt / "plugins" / "platforms" / plugin, qt / "lib" / backend]
    missing = unresolved(libraries)
    if not missing:
        return None
    return (f"The window needs system libraries this machine lacks ({', '.join(missing)}); "
            f"install them with: {install_hint(missing)}")
