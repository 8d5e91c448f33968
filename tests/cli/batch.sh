#!/usr/bin/env bash
# tests/cli/batch.sh - roster runs of the real binary: names, manifest, shards, merge,
# faults (a worker killed mid-report, SIGINT), bad usage.
#
#   CAREERPDF=./careerpdf tests/cli/batch.sh
#
# Each test prints "ok - NAME" or "not ok - NAME: WHY"; the last line is
# "batch: N passed, N failed" and the exit status is non-zero when a test failed.
# Everything is written below one temporary folder that is removed on exit.
. "$(dirname "$0")/lib.sh" batch

# Text of page 1 without the bidirectional marks pdftotext puts around Arabic.
page1_text() {
    pdftotext -f 1 -l 1 "$1" - 2>/dev/null | sed $'s/\xe2\x80[\xaa-\xae]//g; s/\xe2\x81[\xa6-\xa9]//g'
}

for tool in pdfinfo pdftotext qpdf parallel; do
    command -v "$tool" >/dev/null || not_ok "tool $tool" "not installed (make deps installs it)"
done
if [ ! -x "$CAREERPDF" ]; then
    not_ok "binary" "$CAREERPDF is not an executable (run make)"
    echo "batch: $passed passed, $failed failed"
    exit 1
fi

tricky=examples/tricky-roster.csv
check "the tricky roster keeps its BOM and CRLF line ends" \
    "the file was converted (git autocrlf?)" \
    bash -c "head -c 3 $tricky | od -An -tx1 | grep -q 'ef bb bf' && grep -q $'\r$' $tricky"

# ---- the tricky roster -----------------------------------------------------------------
out=$tmp/tricky
run --roster "$tricky" --out-dir "$out" -j 2
expect_rc "tricky roster: exit 1 (some rows failed, the rest written)" 1

expected='AC-DC_Jr-data-scientist.pdf
CON-nurse.pdf
LI-ANNA-ai-engineer-0a2d190.pdf
Li-Anna-ai-engineer-17e8594.pdf
Li-Anna-ai-engineer-3db4756.pdf
Zoë_Martin-prompt-engineer.pdf
etc-passwd-nurse.pdf
hidden.name-nurse.pdf
manifest.csv
أحمد_علي-nurse.pdf
अनन्या_अय्यर-ai-engineer.pdf
王小明-software-developer.pdf
김민준-nurse.pdf'
got=$(cd "$out" && LC_ALL=C ls -A | LC_ALL=C sort)
want=$(printf '%s\n' "$expected" | LC_ALL=C sort)
if [ "$got" = "$want" ]; then ok "tricky roster: exactly the expected files, nothing else"
else not_ok "tricky roster: exactly the expected files" "got: $(echo $got)"; fi

bad_names=$(cd "$out" && ls -A | awk 'substr($0,1,1) == "." || length($0) > 120 || /[\/\\:*?"<>|]/')
check "tricky roster: no hidden, overlong or unsafe names" "$bad_names" test -z "$bad_names"

m=$out/manifest.csv
check "manifest: header" "$(head -1 "$m")" \
    test "$(head -1 "$m")" = "row,line,name,career,file,pages,bytes,status,error,digest"
check "manifest: one entry per row, in roster order" "$(csv_col "$m" 1 | tr '\n' ' ')" \
    test "$(csv_col "$m" 1 | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
check "manifest: roster lines (a quoted line break moves later rows down)" \
    "$(csv_col "$m" 2 | tr '\n' ' ')" \
    test "$(csv_col "$m" 2 | tr '\n' ' ')" = "2 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
statuses=$(csv_col "$m" 8 | tr '\n' ' ')
check "manifest: statuses" "$statuses" test "$statuses" = \
    "ok ok ok ok ok ok ok ok ok ok failed failed failed ok failed ok "
check "manifest: quoted name with a comma" "$(sed -n 2p "$m")" \
    grep -Eq '^1,2,"Li, Anna",ai-engineer,Li-Anna-ai-engineer-17e8594.pdf,[0-9]+,[0-9]+,ok,,[0-9a-f]{64}$' "$m"
check "manifest: byte counts match the files" "" bash -c '
    m=$1; d=$(dirname "$m")
    awk -F, '"'"'$8 == "ok" {print $5, $7}'"'"' "$m" | grep -v "\"" | while read -r f b; do
        [ "$(stat -c %s "$d/$f")" = "$b" ] || exit 1; done' _ "$m"

for want_err in "tricky-roster.csv:13: error: name: empty" \
                "tricky-roster.csv:14: error: career: unknown career 'astronaut'" \
                "tricky-roster.csv:15: error: rate:programming-logic: '7' is not a rating" \
                "tricky-roster.csv:17: error: 3 fields, expected 7"; do
    check "stderr: $want_err" "$(first_err)" grep -qF "$want_err" "$tmp/err"
done
check "stderr: one line per bad row, nothing else (not a terminal: no bar)" \
    "$(grep -vc 'error:\|written' "$tmp/err")" \
    test "$(grep -c '' "$tmp/err")" -eq 5
check "stderr: no progress bar when stderr is not a terminal" "" \
    bash -c "! grep -q $'\r' '$tmp/err'"

# Every written report shows its student's name on page 1.
missing=""
mapfile -t names < <(csv_col "$m" 3)
mapfile -t files < <(csv_col "$m" 5)
mapfile -t status < <(csv_col "$m" 8)
for i in "${!status[@]}"; do
    [ "${status[i]}" = ok ] || continue
    [[ $(page1_text "$out/${files[i]}") == *"${names[i]}"* ]] ||
        missing="$missing [${names[i]} in ${files[i]}]"
done
check "every written report shows its student's name (pdftotext)" "missing:$missing" \
    test -z "$missing"

run --roster "$tricky" --out-dir "$out" -q
expect_rc "a second run into the same folder is refused (exit 2)" 2
check "... and names the way out" "$(first_err)" grep -q -- "--skip-existing" "$tmp/err"
run --roster "$tricky" --out-dir "$out" --skip-existing -q
expect_rc "--skip-existing: the bad rows still fail (exit 1)" 1
check "--skip-existing: written rows are kept, not made again" "" \
    test "$(csv_col "$m" 8 | grep -c skipped)" -eq 12

# ---- fit block ------------------------------------------------------------------------
fit_file=$out/Li-Anna-ai-engineer-17e8594.pdf
check "a row with self-ratings gets the profile block" "" \
    bash -c "pdftotext '$fit_file' - | grep -q 'How AI Engineer fits you' &&
             pdftotext '$fit_file' - | grep -q 'Match:'"
check "a row without self-ratings does not" "" \
    bash -c "! pdftotext '$out/CON-nurse.pdf' - | grep -q 'fits you'"

# ---- shards -----------------------------------------------------------------------------
# The GNU parallel recipe runs `--shard K/3 -j 1` three times side by side and joins the
# three manifests: the shards' own checks read its folder (three runs, not six).
rm -rf "$tmp/par"
CAREERPDF=$CAREERPDF examples/sharding/parallel.sh "$tricky" "$tmp/par" 3 >/dev/null \
    2>"$tmp/err"
rc=$?
expect_rc "GNU parallel recipe: runs, exit 1 for the bad rows" 1
check "GNU parallel recipe: same files as one run, one joined manifest" "" bash -c "
    diff <(ls '$tmp/par' | grep pdf) <(ls '$out' | grep pdf) &&
    test \$(grep -vc '^row,' '$tmp/par/manifest.csv') -eq 16"
shard_rows=$(cat "$tmp"/par/manifest-*-of-3.csv | grep -v '^row,' | cut -d, -f1 | sort -n |
             tr '\n' ' ')
check "shards: 3 manifests whose rows add up to the whole roster, none twice" "$shard_rows" \
    test "$shard_rows" = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
rows1=$(grep -v '^row,' "$tmp/par/manifest-1-of-3.csv" | cut -d, -f1 | tr '\n' ' ')
check "shards: slice 1 of 3 is rows 1, 4, 7..." "$rows1" test "$rows1" = "1 4 7 10 13 16 "

# ---- merge -------------------------------------------------------------------------------
run --roster "$tricky" --merge "$tmp/merged/class.pdf" -q
expect_rc "--merge: exit 1 (the bad rows), the file written" 1
mm=$tmp/merged/class.manifest.csv
total=$(pages_of "$tmp/merged/class.pdf")
# Expected: each report starts on an odd page, so a blank page follows an odd-length one
# (except the last).
expect_pages=$(csv_col "$mm" 6 | awk 'NF && $1 > 0 {n++; p[n] = $1}
    END {t = 0; for (i = 1; i <= n; i++) {t += p[i]; if (i < n && t % 2) t++}; print t}')
check "--merge: pages = the reports + blank pages ($expect_pages)" "got $total" \
    test "$total" = "$expect_pages"
qpdf --json --json-key=outlines "$tmp/merged/class.pdf" >"$tmp/outline.json" 2>/dev/null
starts=$(awk '/^      "destpageposfrom1"/ {gsub(/[^0-9]/, ""); print}' "$tmp/outline.json")
even=$(printf '%s\n' "$starts" | awk '$1 % 2 == 0' | tr '\n' ' ')
check "--merge: every report starts on an odd page" "even starts: $even" \
    test -n "$starts" -a -z "$even"
titles=$(awk -F'"' '/^      "title"/ {print $4}' "$tmp/outline.json")
want_titles=$(paste <(csv_col "$mm" 8) <(csv_col "$mm" 3) | awk -F'\t' '$1 == "ok" {print $2}')
check "--merge: one bookmark per student, named after them, in roster order" \
    "got: $(echo $titles | cut -c1-200)" test "$titles" = "$want_titles"
kids=$(grep -c '^          "title"' "$tmp/outline.json")
check "--merge: each student's sections nested below their bookmark" "found $kids" \
    test "$kids" -gt 12
check "--merge: qpdf --check passes" "" qpdf --check "$tmp/merged/class.pdf"

# ---- faults: a worker killed mid-report -----------------------------------------------
# (the test build's switch; the product binary has none)
head -6 "$tricky" >"$tmp/five.csv"   # header and rows 1-4 (row 1 takes two lines)
CAREERPDF_TEST_CRASH_ROW=2 run_testing --roster "$tmp/five.csv" --out-dir "$tmp/crash" -j 2 -q
expect_rc "worker killed on row 2: retried once, every row written (exit 0)" 0
check "... the retry wrote row 2" "" grep -Eq '^2,4,.*,ok,,[0-9a-f]{64}$' "$tmp/crash/manifest.csv"
check "... no temporary file left" "$(ls -A "$tmp/crash" | grep tmp)" \
    bash -c "! ls -A '$tmp/crash' | grep -q tmp"
CAREERPDF_TEST_CRASH_ROW=3:always run_testing --roster "$tmp/five.csv" --out-dir "$tmp/crash2" -j 2 -q
expect_rc "worker killed on row 3 twice: that row fails, the batch goes on (exit 1)" 1
check "... row 3 failed, rows 1, 2, 4 written" "$(csv_col "$tmp/crash2/manifest.csv" 8 | tr '\n' ' ')" \
    test "$(csv_col "$tmp/crash2/manifest.csv" 8 | tr '\n' ' ')" = "ok ok failed ok "
check "... stderr names the row and the signal" "$(first_err)" \
    grep -q 'five.csv:5: error: the process making this report died twice (signal 9' "$tmp/err"
check "... no temporary file left" "" bash -c "! ls -A '$tmp/crash2' | grep -q tmp"
check "... only the rows written have a file, each whole" "$(ls "$tmp/crash2" | tr '\n' ' ')" \
    bash -c '[ "$(ls "$1" | grep -c "\.pdf$")" -eq 3 ] || exit 1
             for f in "$1"/*.pdf; do qpdf --check "$f" >/dev/null 2>&1 || exit 1; done' _ "$tmp/crash2"

# ---- faults: SIGINT or SIGTERM while a report is half written -----------------------------
# With CAREERPDF_TEST_CRASH_ROW=2:stop the worker making row 2 stops itself with its
# temporary file half written; the run is then stopped by the signal.
for sig in INT TERM; do
    d=$tmp/stop-$sig
    CAREERPDF_TEST_CRASH_ROW=2:stop "$CAREERPDF_TESTING" --roster "$tmp/five.csv" --out-dir "$d" -j 2 -q \
        2>"$tmp/err" &
    pid=$!
    for _ in $(seq 1 200); do   # until row 2's temporary file exists (at most 20 s)
        ls -A "$d" 2>/dev/null | grep -q '\.pdf\.tmp\.' && break
        sleep 0.1
    done
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    want=$((128 + $(kill -l "$sig")))
    check "SIG$sig mid-write: the run ends by the signal (status $want)" "exit $rc" \
        test "$rc" -eq "$want"
    check "SIG$sig mid-write: the half-written temporary file is removed" \
        "$(ls -A "$d" | grep tmp)" bash -c "! ls -A '$d' | grep -q tmp"
    check "SIG$sig mid-write: the manifest marks row 2 interrupted" \
        "$(sed -n 3p "$d/manifest.csv" 2>&1)" grep -q '^2,4,.*,interrupted,' "$d/manifest.csv"
    run --roster "$tmp/five.csv" --out-dir "$d" -j 2 --skip-existing -q
    expect_rc "after SIG$sig, --skip-existing finishes the rest (exit 0)" 0
    check "... four reports, each whole" "$(ls "$d" | tr '\n' ' ')" \
        bash -c '[ "$(ls "$1" | grep -c "\.pdf$")" -eq 4 ] || exit 1
                 for f in "$1"/*.pdf; do qpdf --check "$f" >/dev/null 2>&1 || exit 1; done' _ "$d"
done

# ---- faults: SIGINT --------------------------------------------------------------------
# 20 rows: the run is stopped after 3 reports, far from its end on any machine (and
# --skip-existing makes the rest after: each row costs a report).
{ head -1 examples/class-11b.csv
  for i in 1 2; do tail -n +2 examples/class-11b.csv | grep -v ',hi,\|,ar,'; done
} >"$tmp/many.csv"
rows=$(($(wc -l <"$tmp/many.csv") - 1))
"$CAREERPDF" --roster "$tmp/many.csv" --out-dir "$tmp/int" -j 2 -q 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 200); do   # until a few reports exist (at most 20 s)
    [ "$(ls "$tmp/int" 2>/dev/null | grep -c pdf)" -ge 3 ] && break
    sleep 0.1
done
kill -INT "$pid"
wait "$pid"
rc=$?
check "SIGINT: the run ends by the signal (status 130)" "exit $rc" test "$rc" -eq 130
check "SIGINT: no temporary file left" "$(ls -A "$tmp/int" | grep tmp)" \
    bash -c "! ls -A '$tmp/int' | grep -q tmp"
check "SIGINT: a manifest of what was done" "" test -s "$tmp/int/manifest.csv"
done_rows=$(csv_col "$tmp/int/manifest.csv" 8 | grep -c '^ok$')
check "SIGINT: stopped early, and every row marked ok is there" "$done_rows of $rows" bash -c "
    test $done_rows -lt $rows &&
    test \$(ls '$tmp/int' | grep -c pdf) -ge $done_rows"
others=$(csv_col "$tmp/int/manifest.csv" 8 | grep -vx 'ok\|interrupted\|not-started' | sort -u | tr '\n' ' ')
check "SIGINT: only ok, interrupted and not-started entries" "also: $others" test -z "$others"
check "SIGINT: every roster row is in the manifest, in order" \
    "$(csv_col "$tmp/int/manifest.csv" 1 | wc -l) of $rows" \
    test "$(csv_col "$tmp/int/manifest.csv" 1 | tr '\n' ' ')" = "$(seq 1 "$rows" | tr '\n' ' ')"
check "SIGINT: rows never begun are not-started" "" \
    grep -q ',not-started,not started: the run was stopped,$' "$tmp/int/manifest.csv"
run --roster "$tmp/many.csv" --out-dir "$tmp/int" -j 2 --skip-existing -q
expect_rc "after SIGINT, --skip-existing finishes the rest (exit 0)" 0
check "... every row written once" "" \
    test "$(ls "$tmp/int" | grep -c pdf)" -eq "$rows"

# ---- an over-long cell fails its row only --------------------------------------------------
# Row 2's note is 70,000 bytes (quoted, with a comma and a line break inside), row 3's
# exactly 65,536, the limit: row 2 fails, rows 1 and 3 are written. Row 3's note is
# words, as a note is (22 pages of them); one word of 64 KiB is a benchmark of its own
# (tests/bench.sh), not a limit.
{
    printf 'name,career,note\n'
    printf 'Ada Obi,nurse,short\n'
    printf 'Bo Li,nurse,"'
    head -c 35000 /dev/zero | tr '\0' 'x'
    printf ',\n'
    head -c 34998 /dev/zero | tr '\0' 'y'
    printf '"\n'
    printf 'Cy Ray,nurse,z'
    yes ' zzzzzzz' | tr -d '\n' | head -c 65535
    printf '\n'
} >"$tmp/longcell.csv"
run --roster "$tmp/longcell.csv" --out-dir "$tmp/long" -q
expect_rc "a cell over 64 KiB: exit 1 (that row failed, the rest written)" 1
check "... the row's error names its line and the column" "$(first_err)" \
    grep -q "longcell.csv:3: error: column 'note': longer than 64 KiB" "$tmp/err"
check "... one error, nothing else on stderr" "$(first_err)" \
    test "$(grep -c '' "$tmp/err")" -eq 1
lm=$tmp/long/manifest.csv
got="$(csv_col "$lm" 8 | tr '\n' ' ')/ $(csv_col "$lm" 2 | tr '\n' ' ')"
check "... the manifest: ok, failed, ok at lines 2, 3, 5" "$got" \
    test "$got" = "ok failed ok / 2 3 5 "
check "... the failed row's manifest entry says why" "$(sed -n 3p "$lm" | cut -c1-200)" \
    grep -q '^2,3,,,,,,failed,"column .note.: longer than 64 KiB' "$lm"
check "... the other rows are written" "$(ls "$tmp/long" | tr '\n' ' ')" \
    test -s "$tmp/long/Ada_Obi-nurse.pdf" -a -s "$tmp/long/Cy_Ray-nurse.pdf"

# ---- bad usage: exit 2, nothing written --------------------------------------------------
printf 'student,career\nAnna,nurse\n' >"$tmp/noname.csv"
run --roster "$tmp/noname.csv" --out-dir "$tmp/u1"
expect_rc "no name column: exit 2" 2
check "... nothing written" "" bash -c "[ -z \"\$(ls -A '$tmp/u1' 2>/dev/null)\" ]"
printf 'name\nAnna\n' >"$tmp/nocareer.csv"
run --roster "$tmp/nocareer.csv" --out-dir "$tmp/u2"
expect_rc "no career column and no --career: exit 2" 2
run --roster "$tmp/nocareer.csv" --out-dir "$tmp/u2" --career nurse -q
expect_rc "no career column with --career nurse: written (exit 0)" 0
run --roster "$tmp/does-not-exist.csv" --out-dir "$tmp/u3"
expect_rc "unreadable roster: exit 2" 2
run --roster "$tricky"
expect_rc "--roster without --out-dir or --merge: exit 2" 2
printf 'name,career\nAnna,nurse\nBen "B" Ortiz,nurse\n' >"$tmp/quote.csv"
run --roster "$tmp/quote.csv" --out-dir "$tmp/u4"
expect_rc "a stray quote: exit 2 before anything is written" 2
check "... with its place" "$(first_err)" grep -q 'quote.csv:3:5: error: a quote' "$tmp/err"
check "... nothing written" "" bash -c "[ -z \"\$(ls -A '$tmp/u4' 2>/dev/null)\" ]"
run --roster "$tricky" --out-dir "$tmp/u5" --name-pattern '../{student.name}.pdf'
expect_rc "--name-pattern leaving the folder: exit 2" 2
for pat in '.{student.name}' 'x/../../{student.name}' '{student.name}/x' 'a\{row}'; do
    run --roster "$tricky" --out-dir "$tmp/u6/out" --name-pattern "$pat"
    expect_rc "--name-pattern '$pat' is refused (exit 2)" 2
done
check "... nothing written, inside the folder or beside it" "$(ls -A "$tmp/u6" 2>&1)" \
    test ! -e "$tmp/u6"

# ---- careers in a roster are ids, never paths -----------------------------------------------
mkdir -p "$tmp/elsewhere"
cp content/careers/nurse.yaml "$tmp/elsewhere/nurse.yaml"
{
    printf 'name,career\n'
    printf 'Ada Obi,%s\n' "$tmp/elsewhere/nurse.yaml"
    printf 'Bo Li,content/careers/nurse.yaml\n'
    printf 'Cy Ray,../../../../../../../../../../etc/passwd\n'
    printf 'Di Su,nurse\n'
} >"$tmp/paths.csv"
run --roster "$tmp/paths.csv" --out-dir "$tmp/paths" -q
expect_rc "careers given as paths: those rows fail (exit 1)" 1
for line in 2 3 4; do
    check "... line $line: unknown career" "$(first_err)" \
        grep -q "paths.csv:$line: error: career: unknown career" "$tmp/err"
done
check "... only the row with a career id is written" "$(ls "$tmp/paths" | tr '\n' ' ')" \
    test "$(ls "$tmp/paths" | tr '\n' ' ')" = "Di_Su-nurse.pdf manifest.csv "

# ---- names a file system would not take --------------------------------------------------------
long_a=$(printf 'a%.0s' $(seq 1 149))
long_e=$(printf '\303\251%.0s' $(seq 1 100))   # 100 x U+00E9, 200 bytes
{
    printf 'name,career\n'
    for n in CON nul Com1 lpt9 Aux.txt CONSOLE "${long_a}x" "${long_a}y" "$long_e"; do
        printf '%s,nurse\n' "$n"
    done
} >"$tmp/odd.csv"
run --roster "$tmp/odd.csv" --out-dir "$tmp/odd" --name-pattern '{student.name}' -q
expect_rc "device and over-long names: every row written (exit 0)" 0
missing=""
for f in _CON.pdf _nul.pdf _Com1.pdf _lpt9.pdf _Aux.txt.pdf CONSOLE.pdf; do
    [ -e "$tmp/odd/$f" ] || missing="$missing $f"
done
check "device names (CON, NUL, COM1, LPT9, AUX.txt) get a leading _" \
    "missing:$missing; got: $(ls "$tmp/odd" | cut -c1-20 | tr '\n' ' ')" test -z "$missing"
check "over-long names: shortened to 120 bytes, valid UTF-8, one file per row" \
    "$(ls "$tmp/odd" | LC_ALL=C awk '{print length($0)}' | tr '\n' ' ')" bash -c '
    [ "$(ls "$1" | grep -c "\.pdf$")" -eq 9 ] || exit 1
    [ -z "$(ls "$1" | LC_ALL=C awk "length(\$0) > 120")" ] || exit 1
    ls "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null' _ "$tmp/odd"

# ---- existing files: kept, unless --force --------------------------------------------------
printf 'name,career\nAda Obi,nurse\nBo Li,nurse\n' >"$tmp/two.csv"
mkdir -p "$tmp/old"
printf 'old contents\n' >"$tmp/old/Ada_Obi-nurse.pdf"
run --roster "$tmp/two.csv" --out-dir "$tmp/old" -q
expect_rc "a file already there: its row fails, the others are written (exit 1)" 1
check "... the error names --force and --skip-existing" "$(first_err)" \
    grep -q "Ada_Obi-nurse.pdf already exists, expected --force" "$tmp/err"
check "... the file already there is untouched" "$(head -c 40 "$tmp/old/Ada_Obi-nurse.pdf")" \
    test "$(cat "$tmp/old/Ada_Obi-nurse.pdf")" = "old contents"
check "... the other row is written" "$(ls "$tmp/old" | tr '\n' ' ')" test -s "$tmp/old/Bo_Li-nurse.pdf"
run --roster "$tmp/two.csv" --out-dir "$tmp/old" --force -q
expect_rc "--force: every row made again (exit 0)" 0
check "--force: the old file is replaced by a whole report" "" \
    qpdf --check "$tmp/old/Ada_Obi-nurse.pdf"
check "--force: the manifest says both rows ok" "$(csv_col "$tmp/old/manifest.csv" 8 | tr '\n' ' ')" \
    test "$(csv_col "$tmp/old/manifest.csv" 8 | tr '\n' ' ')" = "ok ok "

# ---- YAML roster, summary -------------------------------------------------------------------
cat >"$tmp/class.yaml" <<'EOF'
- {name: Ada Obi, career: nurse, grade: "11", school: Westview High}
- name: Bo Li
  career: ai-engineer
  rate:programming-logic: 3
EOF
run --roster "$tmp/class.yaml" --out-dir "$tmp/y"
expect_rc "YAML roster: written (exit 0)" 0
check "YAML roster: files" "$(ls "$tmp/y" | tr '\n' ' ')" \
    test -s "$tmp/y/Ada_Obi-nurse.pdf" -a -s "$tmp/y/Bo_Li-ai-engineer.pdf"
check "a one-line summary on stderr" "$(cat "$tmp/err")" \
    grep -q '^careerpdf: 2 written, 0 skipped, 0 failed in' "$tmp/err"
run --roster "$tmp/class.yaml" --out-dir "$tmp/y2" -q
check "--quiet: nothing on stderr when every row is written" "$(first_err)" \
    test ! -s "$tmp/err"

finish batch
