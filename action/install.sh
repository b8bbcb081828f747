#!/usr/bin/env bash
# Install the reconciler the Action runs, used by action.yml (and bench/install.py):
# a fresh virtualenv with exactly requirements.lock (every file checked against its
# sha256), then the reconciler itself from the action's own checkout, built without
# build isolation from the locked setuptools and setuptools-scm and with no dependency
# resolution of its own. uv does it when it is on PATH or can be bootstrapped (pip
# installs the hash-pinned action/uv.lock); pip does it otherwise.
#
# Environment: ACTION_PATH (the reconciler's source, required), VENV (where to create
# the environment, default $RUNNER_TEMP/reconciler-venv), INSTALLER (auto, uv or pip;
# default auto), PYTHON (default python), TOOLS (where a bootstrapped uv goes, default
# $RECONCILER_CACHE/tools), RECONCILER_CACHE (the directory the Action caches between
# runs: uv's and pip's caches and the bootstrapped uv). The environment's bin directory
# is added to $GITHUB_PATH when that is set.
set -euo pipefail

: "${ACTION_PATH:?set ACTION_PATH to the source of the reconciler}"
# An absolute path: a bare name would be read as a package name on the index.
src=$(cd "$ACTION_PATH" && pwd)
python=${PYTHON:-python}
venv=${VENV:-${RUNNER_TEMP:-/tmp}/reconciler-venv}
cache=${RECONCILER_CACHE:-${HOME}/.cache/reconciler-action}
tools=${TOOLS:-$cache/tools}
lock="$src/requirements.lock"
export UV_CACHE_DIR="${UV_CACHE_DIR:-$cache/uv}" PIP_CACHE_DIR="${PIP_CACHE_DIR:-$cache/pip}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore UV_NO_PROGRESS=1

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

install_with_uv() {
  local uv=$1
  "$uv" venv --quiet --python "$python" "$venv"
  "$uv" pip install --quiet --python "$venv/bin/python" --require-hashes -r "$lock"
  "$uv" pip install --quiet --python "$venv/bin/python" --no-deps --no-build-isolation \
    "$src"
}

install_with_pip() {
  # No pip inside the venv (ensurepip takes seconds): this Python's pip installs into it.
  "$python" -m venv --without-pip "$venv"
  local pip=("$python" -m pip --python "$venv/bin/python" install --quiet --no-input)
  "${pip[@]}" --require-hashes -r "$lock"
  "${pip[@]}" --no-deps --no-build-isolation "$src"
}

case "${INSTALLER:-auto}" in
  pip) install_with_pip ;;
  uv) install_with_uv "$(find_uv)" ;;
  auto)
    if uv=$(find_uv); then install_with_uv "$uv"; else install_with_pip; fi
    ;;
  *)
    echo "::error title=reconciler action::INSTALLER must be auto, uv or pip"
    exit 2
    ;;
esac

if [ -n "${GITHUB_PATH:-}" ]; then echo "$venv/bin" >> "$GITHUB_PATH"; fi
"$venv/bin/reconciler" --version
