# tools/lib/test-count.sh — sourced by tools/test and tests/selfcheck/run: reads a test
# runner's log and says how many tests passed and failed, counting as failures everything
# that did not really run and pass (issue #19):
#   - a runner whose summary line is missing (it crashed, or printed nothing);
#   - "no tests were found", or fewer tests than the step's floor;
#   - skipped, disabled, todo and cancelled tests (a skip is not a pass).
# Each count_* function sets three globals and returns 0:
#   cnt_pass, cnt_fail   numbers to add to the suite's totals
#   cnt_why              "" or a short reason the step itself is broken (for the last line)

# count_ctest LOG FLOOR RC — a `ctest` log ("NN% tests passed, F tests failed out of T").
count_ctest() {
  local log=$1 floor=$2 rc=$3 line t f notrun
  cnt_pass=0 cnt_fail=0 cnt_why=""
  if grep -qE 'No tests were found' "$log"; then cnt_fail=1; cnt_why="no tests were found"; return 0; fi
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  if [ -z "$line" ]; then cnt_fail=1; cnt_why="no ctest summary line"; return 0; fi
  f=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  t=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
  # ctest counts a skipped or disabled test as passed; they are listed under
  # "The following tests did not run:" with "(Skipped)" or "(Disabled)".
  notrun=$(awk '/The following tests did not run:/{on=1; next} on && /\((Skipped|Disabled|Not Run)\)/{n++} on && !/^[[:space:]]/{on=0} END{print n+0}' "$log")
  cnt_pass=$((t - f - notrun)) cnt_fail=$((f + notrun))
  [ "$notrun" -eq 0 ] || cnt_why="$notrun tests did not run (skipped or disabled)"
  if [ "$t" -lt "$floor" ]; then cnt_fail=$((cnt_fail + 1)); cnt_why="only $t tests, expected at least $floor"; fi
  if [ "$rc" -ne 0 ] && [ "$cnt_fail" -eq 0 ]; then cnt_fail=1; cnt_why="ctest exited $rc"; fi
  return 0
}

# count_node LOG FLOOR RC — a `node --test` log (spec/tap reporter summary: tests, pass, fail,
# cancelled, skipped, todo, each as "ℹ name N" or "# name N").
count_node() {
  local log=$1 floor=$2 rc=$3 k v tests="" pass="" fail=0 cancelled=0 skipped=0 todo=0
  cnt_pass=0 cnt_fail=0 cnt_why=""
  for k in tests pass fail cancelled skipped todo; do
    v=$(grep -E "^(ℹ|#) $k [0-9]+\$" "$log" | tail -1 | awk '{print $3}')
    [ -n "$v" ] && printf -v "$k" '%s' "$v"
  done
  if [ -z "$tests" ] || [ -z "$pass" ]; then cnt_fail=1; cnt_why="no node --test summary"; return 0; fi
  cnt_pass=$pass cnt_fail=$((fail + cancelled + skipped + todo))
  [ $((cancelled + skipped + todo)) -eq 0 ] || cnt_why="cancelled $cancelled, skipped $skipped, todo $todo"
  if [ "$tests" -lt "$floor" ]; then cnt_fail=$((cnt_fail + 1)); cnt_why="only $tests tests, expected at least $floor"; fi
  if [ "$rc" -ne 0 ] && [ "$cnt_fail" -eq 0 ]; then cnt_fail=1; cnt_why="node --test exited $rc"; fi
  return 0
}

# count_plain LOG FLOOR RC — a log whose last summary line reads "[word:] N passed, N failed"
# (tools/fuzz, tests/selfcheck/run).
count_plain() {
  local log=$1 floor=$2 rc=$3 line p f
  cnt_pass=0 cnt_fail=0 cnt_why=""
  line=$(grep -E '^([a-z-]+: )?[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [ -z "$line" ]; then cnt_fail=1; cnt_why="no 'N passed, N failed' line"; return 0; fi
  p=$(sed -E 's/^([a-z-]+: )?([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")
  f=$(sed -E 's/^([a-z-]+: )?([0-9]+) passed, ([0-9]+) failed$/\3/' <<<"$line")
  cnt_pass=$p cnt_fail=$f
  if [ $((p + f)) -lt "$floor" ]; then cnt_fail=$((cnt_fail + 1)); cnt_why="only $((p + f)) results, expected at least $floor"; fi
  if [ "$rc" -ne 0 ] && [ "$cnt_fail" -eq 0 ]; then cnt_fail=1; cnt_why="exited $rc"; fi
  return 0
}
