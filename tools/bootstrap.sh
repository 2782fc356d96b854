#!/usr/bin/env bash
# Installs what `make render` / `make test` need, and is a quick no-op once it is there.
#   tools/bootstrap.sh system    apt packages for manim (cairo, pango) and LaTeX
#   tools/bootstrap.sh browser   apt chromium, only for the gallery browser test
#   tools/bootstrap.sh venv      .venv with the project (editable), every extra and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

MANIM_PKGS="libcairo2-dev libpango1.0-dev pkg-config"
LATEX_PKGS="texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended dvisvgm cm-super-minimal"
BROWSER_PKGS="chromium"
VOICE_PKGS="espeak-ng"  # the fallback voice (piper comes from the voice extra)

missing() {  # prints the packages of "$@" that dpkg does not report as installed
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
    done
}

apt_ensure() {  # apt_ensure REQUIRED(yes|no) PKG...
    local required=$1; shift
    command -v dpkg-query >/dev/null || { echo "bootstrap: no dpkg here; make sure these are installed: $*" >&2; return 0; }
    local need; need=$(missing "$@")
    [ -z "$need" ] && return 0
    if [ "$(id -u)" = 0 ]; then
        echo "bootstrap: installing apt packages: $need"
        export DEBIAN_FRONTEND=noninteractive
        # Refresh the package lists only when they are missing or older than a day.
        if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
            apt-get update -qq
        fi
        # shellcheck disable=SC2086
        apt-get install -y -qq $need >/dev/null
    elif [ "$required" = yes ]; then
        echo "bootstrap: missing apt packages (run as root, or: sudo apt-get install $need)" >&2
        return 1
    else
        echo "bootstrap: optional apt packages missing (sudo apt-get install $need); continuing without them" >&2
    fi
}

pick_python() {
    local c
    for c in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$c"; return 0
        fi
    done
    echo "bootstrap: Python >= 3.11 is required" >&2
    return 1
}

case "${1:-}" in
    system)
        apt_ensure yes $MANIM_PKGS
        apt_ensure no $LATEX_PKGS
        apt_ensure no $VOICE_PKGS
        ;;
    browser)
        apt_ensure yes $BROWSER_PKGS
        ;;
    venv)
        stamp=.venv/.installed
        if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ]; then exit 0; fi
        py=$(pick_python)
        [ -x .venv/bin/python ] || "$py" -m venv .venv
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -e '.[all,test]'
        touch "$stamp"
        ;;
    *)
        echo "usage: tools/bootstrap.sh system|browser|venv" >&2
        exit 2
        ;;
esac
