#!/usr/bin/env bash
# The Python package's tests, as `mvn verify` runs them (module twolayer-python): the package with the jar
# copied in is installed offline into a temporary directory, and pytest runs against that installed copy
# with TWOLAYER_JAR unset, so the jar an install ships is the one tested.
#
#   python/run-tests.sh [JAR] [PYTEST ARGS...]    JAR defaults to twolayer-cli/target/twolayer.jar
#
# The interpreter is /usr/bin/python3, or $TWOLAYER_PYTHON. Missing Python packages are installed from
# Debian when this runs as root with apt-get; otherwise the script fails, saying what to install.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="${1:-$here/../twolayer-cli/target/twolayer.jar}"
[ $# -gt 0 ] && shift
py="${TWOLAYER_PYTHON:-/usr/bin/python3}"

# module to import -> the Debian package that brings it
modules=(numpy scipy sklearn jpype pytest onnx setuptools pip)
declare -A debian=([numpy]=python3-numpy [scipy]=python3-scipy [sklearn]=python3-sklearn [jpype]=python3-jpype
  [pytest]=python3-pytest [onnx]=python3-onnx [setuptools]=python3-setuptools [pip]=python3-pip)

# The modules $py cannot import (all of them when there is no such interpreter).
missing_modules() {
  local m out=()
  for m in "${modules[@]}"; do
    "$py" -c "import $m" >/dev/null 2>&1 || out+=("$m")
  done
  echo "${out[*]}"
}

packages_for() {
  local m out=()
  [ -x "$(command -v "$py" || true)" ] || out+=(python3)
  for m in "$@"; do out+=("${debian[$m]}"); done
  echo "${out[*]}"
}

missing="$(missing_modules)"
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  packages="$(packages_for $missing)"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$py" = /usr/bin/python3 ]; then
    echo "run-tests.sh: installing $packages (Debian packages the Python tests need)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    # shellcheck disable=SC2086
    apt-get install -y -qq $packages >/dev/null || true  # what is still missing is said below
    missing="$(missing_modules)"
  fi
  if [ -n "$missing" ]; then
    echo "error: $py cannot import $missing, which the Python tests need: install $packages (apt-get install -y $packages, for /usr/bin/python3) or set TWOLAYER_PYTHON to an interpreter that has them" >&2
    exit 1
  fi
fi

if [ ! -f "$jar" ]; then
  echo "error: $jar does not exist: build the CLI jar first (mvn -B -pl twolayer-cli -am package -DskipTests)" >&2
  exit 1
fi

# The jar goes into the package (gitignored there), so that an install of this tree ships it.
mkdir -p "$here/twolayer/_lib"
cp "$jar" "$here/twolayer/_lib/twolayer.jar"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Build from a copy, so that the build leaves nothing in the source tree.
mkdir "$work/src"
cp -r "$here/pyproject.toml" "$here/README.md" "$here/twolayer" "$work/src/"
PIP_ROOT_USER_ACTION=ignore "$py" -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-index \
  --no-deps --target "$work/site" "$work/src"
rm -rf "$work/src"

cd "$work"  # not the source tree: `import twolayer` must find the installed copy
installed="$(env -u TWOLAYER_JAR PYTHONPATH="$work/site" "$py" -c 'import twolayer; print(twolayer.__file__)')"
case "$installed" in
  "$work/site/"*) ;;
  *) echo "error: the tests would import twolayer from $installed instead of the installed copy" >&2; exit 1 ;;
esac
env -u TWOLAYER_JAR PYTHONPATH="$work/site" PYTHONDONTWRITEBYTECODE=1 \
  "$py" -m pytest -p no:cacheprovider -q "$here/tests" "$@"
