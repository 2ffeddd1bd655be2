#!/bin/sh
# Install a built bundle for the current user, in the XDG places under ~/.local:
#   ~/.local/lib/reader-app/            the bundle (replaced on reinstall)
#   ~/.local/bin/reader-app             a link to its executable
#   ~/.local/share/applications/        reader-app.desktop ("Open with" for PDFs)
#   ~/.local/share/metainfo/            io.github.reader_app.metainfo.xml (software centres)
#   ~/.local/share/icons/hicolor/       the icon at every size, and scalable
# Usage: install.sh [BUNDLE]   (default: the folder this script is in when it sits in a bundle,
#                               else dist/reader-app of the source checkout)
# PREFIX (default ~/.local) and XDG_DATA_HOME move the destination. packaging/uninstall.sh undoes it.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# -ge 1 ]; then
    BUNDLE=$(cd "$1" && pwd)
elif [ -x "$HERE/reader-app" ] && [ -d "$HERE/_internal" ]; then
    BUNDLE=$HERE
else
    BUNDLE=$(dirname "$HERE")/dist/reader-app
fi
if [ ! -x "$BUNDLE/reader-app" ] || [ ! -d "$BUNDLE/_internal" ]; then
    echo "install.sh: no built bundle at $BUNDLE (run 'make package' first)" >&2
    exit 2
fi
INTERNAL=$BUNDLE/_internal

PREFIX=${PREFIX:-$HOME/.local}
DATA=${XDG_DATA_HOME:-$PREFIX/share}
LIB=$PREFIX/lib/reader-app
BIN=$PREFIX/bin

# Replace an earlier install; a folder without our executable in it is somebody else's: leave it.
if [ -e "$LIB" ] && [ ! -x "$LIB/reader-app" ]; then
    echo "install.sh: $LIB exists and is not a reader-app bundle; not touching it" >&2
    exit 2
fi
mkdir -p "$PREFIX/lib" "$BIN"
if [ "$BUNDLE" != "$LIB" ]; then
    rm -rf "$LIB.new"
    cp -a "$BUNDLE" "$LIB.new"
    rm -rf "$LIB"
    mv "$LIB.new" "$LIB"
fi
ln -sf "$LIB/reader-app" "$BIN/reader-app"

# The launcher runs the installed executable by its full path: ~/.local/bin is not on every
# desktop session's PATH.
mkdir -p "$DATA/applications" "$DATA/metainfo"
sed -e "s|^Exec=reader-app|Exec=\"$LIB/reader-app\"|" -e "s|^TryExec=reader-app|TryExec=$LIB/reader-app|" \
    "$INTERNAL/packaging/reader-app.desktop" > "$DATA/applications/reader-app.desktop"
cp "$INTERNAL/packaging/io.github.reader_app.metainfo.xml" "$DATA/metainfo/"

for png in "$INTERNAL"/resources/icons/reader-app-*.png; do
    size=${png##*/reader-app-}
    size=${size%.png}
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$DATA/icons/hicolor/${size}x${size}/apps/reader-app.png"
done
mkdir -p "$DATA/icons/hicolor/scalable/apps"
cp "$INTERNAL/resources/icons/reader-app.svg" "$DATA/icons/hicolor/scalable/apps/reader-app.svg"

# Refresh the caches when the tools are there; menus pick the files up without them too.
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" || true

echo "Installed Paper & Repo Reader:"
echo "  bundle    $LIB"
echo "  command   $BIN/reader-app"
echo "  launcher  $DATA/applications/reader-app.desktop"
case ":$PATH:" in
    *":$BIN:"*) ;;
    *) echo "Note: $BIN is not on your PATH; add it to run 'reader-app' from a terminal." ;;
esac
