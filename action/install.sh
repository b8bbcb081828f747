#!/usr/bin/env bash
# Install the reconciler the Action runs, used by action.yml (and bench/install.py):
# a virtualenv with exactly requirements.lock (every file checked against its sha256),
# then the reconciler itself from the action's own checkout, built without build
# isolation from the locked setuptools and setuptools-scm and with no dependency
# resolution of its own. uv does it when it is on PATH or can be bootstrapped (pip
# installs the hash-pinned action/uv.lock); pip does it otherwise.
#
# The virtualenv lives in the directory the Action caches between runs: when the cache
# restored one made from the same locks and Python, no dependency is installed again,
# and the reconciler only when its source changed (each is recorded in a stamp file);
# then one package needs no uv, and pip builds it when uv is not already there.
#
# Environment: ACTION_PATH (the reconciler's source, required), PYTHON (default
# python), RECONCILER_CACHE (the cached directory, default ~/.cache/reconciler-action),
# VENV (default $RECONCILER_CACHE/venv), INSTALLER (auto, uv or pip; default auto),
# SCRATCH (uv's and pip's download caches and a bootstrapped uv, not kept; default
# $RUNNER_TEMP/reconciler-install), TOOLS (where a bootstrapped uv goes, default
# $SCRATCH/tools). The venv's bin directory is added to $GITHUB_PATH when that is set.
#
# `install.sh key` prints the cache key parts instead: the locks' hash, the source's.
set -euo pipefail

: "${ACTION_PATH:?set ACTION_PATH to the source of the reconciler}"
# An absolute path: a bare name would be read as a package name on the index.
src=$(cd "$ACTION_PATH" && pwd)
python=${PYTHON:-python}
cache=${RECONCILER_CACHE:-${HOME}/.cache/reconciler-action}
venv=${VENV:-$cache/venv}
scratch=${SCRATCH:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/reconciler-install}
tools=${TOOLS:-$scratch/tools}
lock="$src/requirements.lock"
export UV_CACHE_DIR="${UV_CACHE_DIR:-$scratch/uv}" PIP_CACHE_DIR="${PIP_CACHE_DIR:-$scratch/pip}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore UV_NO_PROGRESS=1
distribution=ledgy-charliehr-reconciler

locks_hash() {
  cat "$lock" "$src/action/uv.lock" | sha256sum | cut -c1-32
}

# What the built package depends on: its files (not the build's own _build.py nor
# bytecode) and the version setuptools-scm reads from git or .git_archival.txt.
source_hash() {
  local paths=() path
  for path in pyproject.toml README.md LICENSE .git_archival.txt reconciler; do
    if [ -e "$src/$path" ]; then paths+=("$path"); fi
  done
  {
    cd "$src"
    find "${paths[@]}" -type f ! -name '*.pyc' ! -path 'reconciler/_build.py' -print0 |
      LC_ALL=C sort -z | xargs -0 sha256sum
    git describe --tags --long --dirty --abbrev=40 --match 'v*[0-9]*' 2>/dev/null || true
  } | sha256sum | cut -c1-32
}

case "${INSTALLER:-auto}" in
  auto | uv | pip) ;;
  *)
    echo "::error title=reconciler action::INSTALLER must be auto, uv or pip"
    exit 2
    ;;
esac

if [ "${1:-}" = key ]; then
  echo "locks=$(locks_hash)"
  echo "source=$(source_hash)"
  exit 0
fi

find_uv() {
  if command -v uv >/dev/null 2>&1; then
    command -v uv
  elif [ -x "$tools/bin/uv" ]; then
    echo "$tools/bin/uv"
  elif "$python" -m pip install --quiet --require-hashes --no-deps --target "$tools" \
    -r "$src/action/uv.lock" >&2; then
    echo "$tools/bin/uv"
  else
    echo "uv could not be installed; installing with pip" >&2
    return 1
  fi
}

installer=
choose_installer() {
  if [ -n "$installer" ]; then return; fi
  case "${INSTALLER:-auto}" in
    pip) installer=pip ;;
    uv) installer=$(find_uv) ;;
    *) installer=$(find_uv) || installer=pip ;;
  esac
}

# For the reconciler alone: uv if it is at hand, else pip (bootstrapping uv would cost
# more than it saves on one package).
choose_installer_for_one() {
  if [ -n "$installer" ]; then return; fi
  if [ "${INSTALLER:-auto}" = auto ] && ! command -v uv >/dev/null 2>&1 && [ ! -x "$tools/bin/uv" ]
  then
    installer=pip
  else
    choose_installer
  fi
}

install_dependencies() {
  rm -rf "$venv"
  if [ "$installer" = pip ]; then
    # No pip inside the venv (ensurepip takes seconds): this Python's pip installs into it.
    "$python" -m venv --without-pip "$venv"
    "$python" -m pip --python "$venv/bin/python" install --quiet --no-input \
      --require-hashes -r "$lock"
  else
    "$installer" venv --quiet --python "$python" "$venv"
    "$installer" pip install --quiet --python "$venv/bin/python" --require-hashes -r "$lock"
  fi
}

install_reconciler() {
  if [ "$installer" = pip ]; then
    "$python" -m pip --python "$venv/bin/python" install --quiet --no-input \
      --no-deps --no-build-isolation --force-reinstall "$src"
  else
    "$installer" pip install --quiet --python "$venv/bin/python" \
      --no-deps --no-build-isolation --reinstall-package "$distribution" "$src"
  fi
}

wanted=$(locks_hash)" $("$python" -c 'import sys; print(sys.version.split()[0], sys.prefix)')"
if [ "$(cat "$venv/.locked" 2>/dev/null)" != "$wanted" ] || ! "$venv/bin/python" -c '' 2>/dev/null
then
  choose_installer
  install_dependencies
  echo "$wanted" > "$venv/.locked"
fi
built=$(source_hash)
if [ "$(cat "$venv/.reconciler" 2>/dev/null)" != "$built" ]; then
  choose_installer_for_one
  install_reconciler
  echo "$built" > "$venv/.reconciler"
fi

if [ -n "${GITHUB_PATH:-}" ]; then echo "$venv/bin" >> "$GITHUB_PATH"; fi
"$venv/bin/reconciler" --version
