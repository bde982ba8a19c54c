#!/usr/bin/env bash
# The Python package in CI: build the wheel with maturin, install it in a fresh venv, run
# the Python tests (python/tests) against it and fixtures/demo.
#
# Run after `cargo test`: the wheel is built with the dev profile in the same target/ (no
# release build in CI), so cargo reuses what the test build compiled with the same
# features. Not everything: a build of the binary alone resolves features without the
# dev-dependencies, and three of theirs (serde `alloc`, num-traits `default`, bitflags
# `std`, all no-ops beside `std`) change the hash of about 40 crates (the arrow, parquet,
# object_store and reqwest stack) and of provaudit, which are compiled again.
# Prints the wheel's path on the last line as `wheel: PATH` for the Ray example test, and
# the time of each step.
set -euo pipefail
cd "$(dirname "$0")/.."

step_start=$(date +%s)
elapsed() { echo "$(($(date +%s) - step_start))s"; }
pip_q=(--quiet --disable-pip-version-check)

tmp=$(mktemp -d /tmp/pa-python.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "-- maturin (build venv)"
python3 -m venv "$tmp/build"
"$tmp/build/bin/pip" install "${pip_q[@]}" 'maturin>=1.5,<2'
"$tmp/build/bin/maturin" --version
echo "   ready at $(elapsed)"

echo "-- maturin build --profile dev"
wheels=target/wheels-ci
rm -rf "$wheels"
if ! "$tmp/build/bin/maturin" build --profile dev --out "$wheels" --compatibility linux \
    >"$tmp/maturin.log" 2>&1; then
  tail -n 40 "$tmp/maturin.log" >&2
  echo "maturin build failed" >&2
  exit 1
fi
grep -vE '^\s+Compiling ' "$tmp/maturin.log" || true
echo "   cargo compiled $(grep -cE '^\s+Compiling ' "$tmp/maturin.log" || true) crate(s) again for the wheel"
wheel=$(ls "$wheels"/provaudit-*.whl 2>/dev/null | head -n 1)
[ -n "$wheel" ] || { echo "maturin built no wheel" >&2; exit 1; }
echo "   $wheel: $(du -h "$wheel" | cut -f1) ($(stat -c %s "$wheel") bytes), built at $(elapsed)"

echo "-- fresh venv: pip install the wheel (+ pyarrow for the Arrow tests)"
python3 -m venv "$tmp/test"
"$tmp/test/bin/pip" install "${pip_q[@]}" "$wheel"
if ! "$tmp/test/bin/pip" install "${pip_q[@]}" pyarrow; then
  echo "pyarrow could not be installed; the ledger()/findings() tests will be SKIPPED"
fi
echo "   installed at $(elapsed)"

echo "-- python tests (unittest, against the installed wheel)"
# From the repository root, so `import provaudit` finds only the installed package (the
# sources are under python/), and without PROVAUDIT_BIN, so the wheel's binary is used.
env -u PROVAUDIT_BIN PROVAUDIT_EXPECT_WHEEL=1 "$tmp/test/bin/python" -m unittest discover \
  -v -s python/tests -t python/tests
echo "   tests done at $(elapsed)"
echo "wheel: $wheel"
