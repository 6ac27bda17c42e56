#!/usr/bin/env bash
# Set up Quotebook (system Qt libraries, a virtual environment, the dependencies and the spaCy
# model) and then run it:  bash run.sh [app options]   opens the app on the sample project;
#                          bash run.sh test [pytest options]   runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Quotebook needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))" >&2; exit 1; }

# Qt's shared libraries on Debian/Ubuntu (names differ a little between releases).
QT_LIBS="libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libxcb-cursor0
 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0
 libxcb-xinerama0 libxcb-xkb1"
if command -v dpkg >/dev/null 2>&1; then
    missing=$(for p in $QT_LIBS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | xargs)
    if [ -n "$missing" ]; then
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        echo "Installing Qt's system libraries: $missing" >&2
        if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $missing; } >&2; then
            echo "Could not install them; please install: $missing" >&2
        fi
    fi
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv  # Debian ships venv separately: python3-venv (or python3.X-venv)
        ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        echo "Installing python$ver-venv to create the virtual environment" >&2
        { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "python$ver-venv"; } >&2 ||
            { echo "Please install python$ver-venv (apt-get install python$ver-venv)" >&2; exit 1; }
        "$PYTHON" -m venv .venv
    fi
fi
stamp=.venv/.quotebook-installed
want=$(cat pyproject.toml | sha1sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install -q --upgrade pip 2>/dev/null || true
    .venv/bin/python -m pip install -q -e ".[test]"
    echo "$want" > "$stamp"
fi

if [ "${1:-}" = "test" ]; then
    shift
    export QT_QPA_PLATFORM=offscreen
    exec .venv/bin/python -m pytest "$@"
fi
exec .venv/bin/python main.py "$@"
