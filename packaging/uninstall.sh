#!/bin/sh
# Remove what install.sh put under ~/.local (same PREFIX and XDG_DATA_HOME rules).
# Your notes and cached clones (~/.local/share/reader-app) are kept; delete that folder yourself
# if you want them gone.
set -eu

PREFIX=${PREFIX:-$HOME/.local}
DATA=${XDG_DATA_HOME:-$PREFIX/share}
LIB=$PREFIX/lib/reader-app
BIN=$PREFIX/bin

# Only a link to our own bundle is ours to remove.
if [ -L "$BIN/reader-app" ] && [ "$(readlink "$BIN/reader-app")" = "$LIB/reader-app" ]; then
    rm -f "$BIN/reader-app"
fi
if [ -x "$LIB/reader-app" ]; then
    rm -rf "$LIB"
fi
rm -f "$DATA/applications/reader-app.desktop" "$DATA/metainfo/io.github.reader_app.metainfo.xml"
for dir in "$DATA"/icons/hicolor/*/apps; do
    rm -f "$dir/reader-app.png" "$dir/reader-app.svg"
done

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" || true

echo "Removed Paper & Repo Reader from $PREFIX (your notes in $DATA/reader-app are kept)."
