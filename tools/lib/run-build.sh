# tools/lib/run-build.sh — sourced by tools/build, tools/soak, tools/perf-report, tools/test.
#
# run_build LABEL LOG COMMAND…
#   Runs a build command with its whole output in LOG. On success prints the log less
#   ninja's progress lines. On failure prints, to stderr, every target ninja reports as
#   FAILED and the compiler's error lines (so the broken file is named), then returns the
#   command's own non-zero status. The status is the command's, taken directly, never
#   through a pipe: `cmd | grep … || true` followed by ${PIPESTATUS[0]} reads the status
#   of `true` and so can never fail (issue #19).
run_build() {
  local label=$1 log=$2 rc=0
  shift 2
  mkdir -p "$(dirname "$log")"
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -eq 0 ]; then
    grep -vE '^\[[0-9]+/[0-9]+\] ' "$log" || true
    return 0
  fi
  {
    echo "[build] $label: FAILED (exit $rc; full log: $log)"
    if grep -qE '^FAILED: |error:|Error [0-9]+|CMake Error' "$log"; then
      grep -E '^FAILED: |error:|Error [0-9]+|CMake Error' "$log" | head -40 | sed 's/^/[build]   /'
    else
      tail -20 "$log" | sed 's/^/[build]   /'
    fi
  } >&2
  return "$rc"
}
