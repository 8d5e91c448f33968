#!/usr/bin/env bash
# tests/cli/roster.sh - rosters as schools export them: their own headers (--column,
# --columns), {student.X} placeholders, other encodings, careers by name, which row a
# report was made from (--skip-existing after rows moved), the manifest as a
# spreadsheet sees it, one run per folder, leftovers of killed runs, --merge with
# --out-dir, and the "Prepared for" line in mixed scripts.
#
#   CAREERPDF=./careerpdf tests/cli/roster.sh
#
# Runs use one worker (-j 1): these rosters have a few rows, and a second worker would
# lay out the same template again; batch.sh tests the workers.
. "$(dirname "$0")/lib.sh" roster

nothing_in() { [ -z "$(ls -A "$1" 2>/dev/null)" ]; }
page1() { pdftotext -f 1 -l 1 "$1" - 2>/dev/null; }

# ---- a student information system's export --------------------------------------------
sis=$tmp/sis.csv
cat >"$sis" <<'EOF'
"Student Name","Student ID","Grade Level","School Name","Career Interest"
Emily Chen,S-1001,11,Westview High School,Registered Nurse
Omar Haddad,S-1002,10,Westview High School,AI-Engineer
EOF
run -j 1 --roster "$sis" --out-dir "$tmp/sis0"
expect_rc "SIS headers without a mapping: refused (exit 2)" 2
check "... the message suggests --column name=\"student name\"" "$(first_err)" \
    grep -q -- "--column name=\"student name\"" "$tmp/err"
check "... nothing written" "" nothing_in "$tmp/sis0"

run -j 1 --roster "$sis" --out-dir "$tmp/sis1" --column name="Student Name" \
    --column career="career interest" --column grade=" GRADE LEVEL " \
    --column school="School Name" --name-pattern '{student.Student ID}.pdf'
expect_rc "--column FIELD=HEADER (any case, blanks ignored): every row written" 0
check "... {student.Student ID} names the files" "$(ls "$tmp/sis1" | tr '\n' ' ')" \
    test "$(ls "$tmp/sis1" | tr '\n' ' ')" = "S-1001.pdf S-1002.pdf manifest.csv "
check "... the grade and school are printed" "$(page1 "$tmp/sis1/S-1001.pdf" | grep Prepared)" \
    bash -c "pdftotext -f 1 -l 1 '$tmp/sis1/S-1001.pdf' - | grep -q 'Prepared for Emily Chen · 11 · Westview High School'"
check "... no warning: every column is used" "$(first_err)" bash -c "! grep -q warning '$tmp/err'"

cat >"$tmp/columns.yaml" <<'EOF'
# Westview's export
name: Student Name
career: Career Interest
grade: Grade Level
school: School Name
EOF
run -j 1 --roster "$sis" --out-dir "$tmp/sis2" --columns "$tmp/columns.yaml" \
    --name-pattern '{student.student id}.pdf' -q
expect_rc "--columns FILE: the same mapping from YAML" 0
check "... the same reports" "" cmp "$tmp/sis1/S-1001.pdf" "$tmp/sis2/S-1001.pdf"

run -j 1 --roster "$sis" --out-dir "$tmp/sis3" --column name="Student Nam" --column career="Career Interest"
expect_rc "--column to a header that is not there: exit 2" 2
check "... names it and lists the columns" "$(first_err)" \
    grep -q "no column 'student nam', expected one of: student name, student id, grade level, school name, career interest" "$tmp/err"
check "... nothing written" "" nothing_in "$tmp/sis3"
run -j 1 --roster "$sis" --out-dir "$tmp/sis3" --column nmae="Student Name"
expect_rc "--column with an unknown field: exit 2" 2
check "... lists the fields" "$(first_err)" grep -q "unknown field 'nmae', expected one of name, career" "$tmp/err"
printf 'name: [Student Name]\n' >"$tmp/bad-columns.yaml"
run -j 1 --roster "$sis" --out-dir "$tmp/sis3" --columns "$tmp/bad-columns.yaml"
expect_rc "--columns with a list for a header: exit 2 at its place" 2
check "... FILE:LINE:COL" "$(first_err)" grep -q "bad-columns.yaml:1:7: error: name:" "$tmp/err"
run --career nurse --column name=x -o "$tmp/x.pdf"
expect_rc "--column without --roster: refused" 2

# A header the tool does not read is named once, with the mapping that would use it.
cat >"$tmp/plain.csv" <<'EOF'
Name,Career,Grade Level,School Name
Emily Chen,nurse,11,Westview High School
Omar Haddad,nurse,10,Westview High School
EOF
run -j 1 --roster "$tmp/plain.csv" --out-dir "$tmp/plain" -q
expect_rc "Name,Career,Grade Level,School Name: written (exit 0)" 0
check "... 'grade level' is named once in a warning, with --column grade=" "$(first_err)" \
    test "$(grep -c "warning: column 'grade level' is not used.*--column grade=\"grade level\"" "$tmp/err")" -eq 1
check "... and 'school name' once" "" \
    test "$(grep -c "warning: column 'school name' is not used" "$tmp/err")" -eq 1

# ---- placeholders -----------------------------------------------------------------------
printf 'name,career,SID\nAnna Li,nurse,77\n' >"$tmp/sid.csv"
run -j 1 --roster "$tmp/sid.csv" --out-dir "$tmp/sid" --name-pattern '{student.sid}-{student. Name }.pdf' -q
expect_rc "{student.sid} for a column SID, spaces inside the braces" 0
check "... the file is named by it" "$(ls "$tmp/sid" | tr '\n' ' ')" test -f "$tmp/sid/77-Anna_Li.pdf"
run -j 1 --roster "$tmp/sid.csv" --out-dir "$tmp/sid2" --name-pattern '{student.Student ID}.pdf'
expect_rc "an unknown {student.X} in --name-pattern: exit 2" 2
check "... lists the columns there are" "$(first_err)" \
    grep -q "{student.Student ID}: .*sid.csv has no column 'student id', expected one of: name, career, sid" "$tmp/err"
check "... nothing written" "" nothing_in "$tmp/sid2"
cat >"$tmp/id-layout.yaml" <<'EOF'
extends: report
theme:
  footer: "Student {student.SID} · {title}"
EOF
run -j 1 --roster "$tmp/sid.csv" --out-dir "$tmp/sid3" --layout "$tmp/id-layout.yaml" -q
expect_rc "{student.SID} in a layout" 0
check "... printed in the footer" "" bash -c "pdftotext '$tmp/sid3/Anna_Li-nurse.pdf' - | grep -q 'Student 77 · How to Become'"
sed 's/{student.SID}/{student.homeroom}/' "$tmp/id-layout.yaml" >"$tmp/bad-layout.yaml"
run -j 1 --roster "$tmp/sid.csv" --out-dir "$tmp/sid4" --layout "$tmp/bad-layout.yaml"
expect_rc "an unknown {student.X} in the layout: exit 2" 2
check "... at its place in the layout, listing the columns" "$(first_err)" \
    grep -q "bad-layout.yaml:3:11: error: theme.footer: {student.homeroom}: .* has no column 'homeroom', expected one of: name, career, sid" "$tmp/err"
check "... nothing written" "" nothing_in "$tmp/sid4"

# ---- encodings ----------------------------------------------------------------------------
printf 'name,career,grade\nAnna Li,nurse,11\nJos\xe9 Mu\xf1oz,nurse,11\nRen\xe9e Dubois,nurse,10\n' >"$tmp/cp1252.csv"
run -j 1 --roster "$tmp/cp1252.csv" --out-dir "$tmp/enc1"
expect_rc "a Windows-1252 roster: refused as a whole (exit 2)" 2
check "... names the first bad line and column" "$(first_err)" grep -q "cp1252.csv:3:4: error: byte 0xE9 is not UTF-8" "$tmp/err"
check "... suggests --roster-encoding windows-1252" "" grep -q -- "--roster-encoding windows-1252" "$tmp/err"
check "... nothing written, not even the rows before it" "" nothing_in "$tmp/enc1"
run -j 1 --roster "$tmp/cp1252.csv" --out-dir "$tmp/enc2" --roster-encoding windows-1252 -q
expect_rc "--roster-encoding windows-1252: every row written" 0
check "... names converted (files, manifest, pages)" "" bash -c "
    test -f '$tmp/enc2/José_Muñoz-nurse.pdf' && grep -q ',Renée Dubois,' '$tmp/enc2/manifest.csv' &&
    pdftotext -f 1 -l 1 '$tmp/enc2/José_Muñoz-nurse.pdf' - | grep -q 'Prepared for José Muñoz'"
run -j 1 --roster "$tmp/cp1252.csv" --out-dir "$tmp/enc3" --roster-encoding no-such-charset
expect_rc "--roster-encoding with an unknown encoding: exit 2" 2
printf 'name,career\nAnna,nurse\nB\x81b,nurse\n' >"$tmp/undefined.csv"
run -j 1 --roster "$tmp/undefined.csv" --out-dir "$tmp/enc4" --roster-encoding windows-1252
expect_rc "a byte windows-1252 leaves undefined: exit 2" 2
check "... named with its place" "$(first_err)" grep -q "undefined.csv:3:2: error: byte 0x81 is not windows-1252 text" "$tmp/err"
printf -- '- {name: "Ren\xe9e", career: nurse}\n' >"$tmp/cp1252.yaml"
run -j 1 --roster "$tmp/cp1252.yaml" --out-dir "$tmp/enc5"
expect_rc "a Windows-1252 YAML roster: refused (exit 2)" 2
check "... with the same hint" "$(first_err)" \
    grep -q "cp1252.yaml:1:14: error: byte 0xE9 is not UTF-8 text.*--roster-encoding windows-1252" "$tmp/err"
run -j 1 --roster "$tmp/cp1252.yaml" --out-dir "$tmp/enc5" --roster-encoding windows-1252 -q
expect_rc "a Windows-1252 YAML roster with --roster-encoding" 0
check "... converted" "" test -f "$tmp/enc5/Renée-nurse.pdf"

# ---- careers as people write them ---------------------------------------------------------
cat >"$tmp/careers.csv" <<'EOF'
name,career
A One,AI-Engineer
B Two,NURSE
C Three,Registered Nurse
D Four,Nurce
E Five,ai engineer
EOF
run -j 1 --roster "$tmp/careers.csv" --out-dir "$tmp/car" -q
expect_rc "careers by id in any case and by role: only the misspelt row fails (exit 1)" 1
check "... manifest careers are the ids" "$(csv_col "$tmp/car/manifest.csv" 4 | tr '\n' ' ')" \
    test "$(csv_col "$tmp/car/manifest.csv" 4 | tr '\n' ' ')" = "ai-engineer nurse nurse Nurce ai-engineer "
check "... statuses" "$(csv_col "$tmp/car/manifest.csv" 8 | tr '\n' ' ')" \
    test "$(csv_col "$tmp/car/manifest.csv" 8 | tr '\n' ' ')" = "ok ok ok failed ok "
check "... the misspelt one: did you mean nurse?" "$(first_err)" \
    grep -q "careers.csv:5: error: career: unknown career 'Nurce', did you mean nurse?" "$tmp/err"

# ---- identity: two Emily Chens swap places -------------------------------------------------
cat >"$tmp/emily1.csv" <<'EOF'
name,career,grade,note
Emily Chen,nurse,11,Keen on biology (the first Emily)
Emily Chen,nurse,12,Volunteers at the clinic (the second Emily)
Omar Haddad,nurse,10,Likes maths
EOF
{ head -1 "$tmp/emily1.csv"; sed -n 3p "$tmp/emily1.csv"; sed -n 2p "$tmp/emily1.csv"; sed -n 4p "$tmp/emily1.csv"; } >"$tmp/emily2.csv"
# file of the row whose note says $2, per the manifest $1
file_for() { awk -F, -v n="$2" 'index($0, n) {print $5}' "$1"; }
emily_ok() { # MANIFEST ROSTER: each Emily's file (per the manifest) holds her own note
    local m=$1 r=$2 note f
    for note in "the first Emily" "the second Emily"; do
        f=$(awk -F, -v n="$note" 'index($0, n) {print $1}' "$r" | head -1)   # her name
        row=$(grep -n "$note" "$r" | cut -d: -f1); row=$((row - 1))
        f=$(awk -F, -v r="$row" '$1 == r {print $5}' "$m")
        pdftotext "$(dirname "$m")/$f" - | tr '\n' ' ' | grep -q "$note" || return 1
    done
}
run -j 1 --roster "$tmp/emily1.csv" --out-dir "$tmp/em" -q
expect_rc "two Emily Chens: both written" 0
check "... distinct names from their rows, not their places" "$(ls "$tmp/em" | tr '\n' ' ')" \
    bash -c "ls '$tmp/em' | grep -Ec '^Emily_Chen-nurse-[0-9a-f]{7}\.pdf$' | grep -qx 2"
check "... each file holds its own student's note" "" emily_ok "$tmp/em/manifest.csv" "$tmp/emily1.csv"
names1=$(ls "$tmp/em" | tr '\n' ' ')
run -j 1 --roster "$tmp/emily2.csv" --out-dir "$tmp/em" --skip-existing -q
expect_rc "rows swapped, --skip-existing" 0
check "... the same files (a name follows its row)" "$(ls "$tmp/em" | tr '\n' ' ')" \
    test "$(ls "$tmp/em" | tr '\n' ' ')" = "$names1"
check "... kept, since each was made from the same row" "$(csv_col "$tmp/em/manifest.csv" 8 | tr '\n' ' ')" \
    test "$(csv_col "$tmp/em/manifest.csv" 8 | tr '\n' ' ')" = "skipped skipped skipped "
check "... the manifest maps each Emily to her own report" "" emily_ok "$tmp/em/manifest.csv" "$tmp/emily2.csv"
sed 's/Likes maths/Likes maths and chess/' "$tmp/emily2.csv" >"$tmp/emily3.csv"
run -j 1 --roster "$tmp/emily3.csv" --out-dir "$tmp/em" --skip-existing -q
expect_rc "a row changed, --skip-existing" 0
check "... that report is made again, the others kept" "$(csv_col "$tmp/em/manifest.csv" 8 | tr '\n' ' ')" \
    test "$(csv_col "$tmp/em/manifest.csv" 8 | tr '\n' ' ')" = "skipped skipped ok "
check "... with the new note" "" bash -c "pdftotext '$tmp/em/Omar_Haddad-nurse.pdf' - | grep -q 'maths and chess'"
run -j 1 --roster "$tmp/emily3.csv" --out-dir "$tmp/em" --skip-existing --grayscale -q
check "an option that changes output: every report made again" "$(csv_col "$tmp/em/manifest.csv" 8 | tr '\n' ' ')" \
    test "$(csv_col "$tmp/em/manifest.csv" 8 | tr '\n' ' ')" = "ok ok ok "
check "... the manifest records each report's identity" "" \
    test "$(csv_col "$tmp/em/manifest.csv" 10 | grep -Ec '^[0-9a-f]{64}$')" -eq 3

# ---- the manifest in a spreadsheet -----------------------------------------------------------
cat >"$tmp/formula.csv" <<'EOF'
name,career
"=HYPERLINK(""http://evil.example"",""click"")",nurse
+cmd,nurse
-2+3,nurse
@SUM(A1),nurse
Plain Name,nurse
EOF
run -j 1 --roster "$tmp/formula.csv" --out-dir "$tmp/formula" -q
expect_rc "names that look like formulas: written" 0
check "... in the manifest as text (a leading apostrophe)" "$(csv_col "$tmp/formula/manifest.csv" 3 | tr '\n' '|')" \
    test "$(csv_col "$tmp/formula/manifest.csv" 3 | tr '\n' '|')" = "'=HYPERLINK(\"http://evil.example\",\"click\")|'+cmd|'-2+3|'@SUM(A1)|Plain Name|"
check "... no cell of the manifest starts a formula" "" \
    bash -c "! grep -Eq '(^|,)\"?[=+@-]' '$tmp/formula/manifest.csv'"

# ---- one run per folder; what a killed run leaves -------------------------------------------
# Run A stops itself half-way through row 2 (its worker holds a temporary file).
CAREERPDF_TEST_CRASH_ROW=2:stop "$CAREERPDF_TESTING" --roster "$tmp/emily1.csv" --out-dir "$tmp/lock" -j 1 -q 2>/dev/null &
apid=$!
for _ in $(seq 1 300); do   # until its worker has stopped itself (at most 30 s)
    ps -o stat= --ppid "$apid" 2>/dev/null | grep -q '^T' && break
    sleep 0.1
done
run -j 1 --roster "$tmp/emily1.csv" --out-dir "$tmp/lock" --skip-existing -q
expect_rc "a second run into a folder in use: exit 2" 2
check "... naming the other run's pid" "$(first_err)" grep -q "another careerpdf run (pid $apid) is writing into this folder" "$tmp/err"
left=$(ls -A "$tmp/lock" | grep -c '\.tmp\.')
{ kill -9 "$apid" $(ps -o pid= --ppid "$apid"); wait "$apid"; } 2>/dev/null
check "run A killed (kill -9): its temporary files are there" "$left" test "$left" -ge 2
run -j 1 --roster "$tmp/emily1.csv" --out-dir "$tmp/lock" --skip-existing -q
expect_rc "the next run is not blocked by the dead run's lock" 0
check "... and removes what the killed run left (.manifest.csv.tmp.*, .NAME.tmp.*, the lock)" \
    "$(ls -A "$tmp/lock" | tr '\n' ' ')" bash -c "! ls -A '$tmp/lock' | grep -q '^\.'"
check "... every row in the manifest" "" test "$(csv_col "$tmp/lock/manifest.csv" 1 | tr '\n' ' ')" = "1 2 3 "

# ---- --merge ---------------------------------------------------------------------------------
run -j 1 --roster "$tmp/emily1.csv" --out-dir "$tmp/both" --merge "$tmp/both.pdf"
expect_rc "--out-dir with --merge: refused (exit 2)" 2
check "... says which to choose" "$(first_err)" grep -q -- "--out-dir and --merge together" "$tmp/err"
check "... nothing written" "" bash -c "nothing() { [ -z \"\$(ls -A \"\$1\" 2>/dev/null)\" ]; }; nothing '$tmp/both' && ! test -e '$tmp/both.pdf'"
run -j 1 --roster "$tmp/emily1.csv" --merge "$tmp/m/merged.pdf"
expect_rc "--merge alone" 0
check "... the summary counts reports merged, not files" "$(first_err)" \
    grep -q "^careerpdf: 3 reports merged, 0 failed in .*; file: $tmp/m/merged.pdf; manifest:" "$tmp/err"

# ---- "Prepared for" in mixed scripts ---------------------------------------------------------
# Each field keeps its own direction: an Arabic name in an English report, and the
# Arabic report, read name · grade · school in their own direction.
printf 'name,career,grade,school,lang\nفاطمة الزهراء,ai-engineer,11,Westview High School,\nفاطمة الزهراء,ai-engineer,11,Westview High School,ar\n' >"$tmp/bidi.csv"
run -j 1 --roster "$tmp/bidi.csv" --out-dir "$tmp/bidi" --name-pattern '{row}.pdf' -q
expect_rc "an Arabic name, in English and in Arabic" 0
# x of the name (its Arabic words), of "11" and of "Westview" on the "Prepared for" line
order() {
    pdftotext -f 1 -l 1 -bbox "$1" - 2>/dev/null | LC_ALL=C awk '
        /<word/ {
            match($0, /xMin="[0-9.]+"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /yMin="[0-9.]+"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
            w = $0; sub(/.*">/, "", w); sub(/<.*/, "", w)
            n++; X[n] = x; Y[n] = y; W[n] = w
        }
        END {
            for (i = 1; i <= n; i++) if (W[i] == "Westview") { wy = Y[i]; wx = X[i] }
            for (i = 1; i <= n; i++) {
                if (Y[i] < wy - 4 || Y[i] > wy + 4) continue
                if (W[i] == "11") gx = X[i]
                if (W[i] ~ /[\330-\333]/) { if (!lo || X[i] < lo) lo = X[i]; if (X[i] > hi) hi = X[i] }
            }
            printf "%d %d %d %d\n", lo, hi, gx, wx
        }'
}
read -r lo hi gx wx < <(order "$tmp/bidi/1.pdf")
check "English report: name, then 11, then the school, left to right" "name $lo-$hi, 11 at $gx, school at $wx" \
    test "$hi" -lt "$gx" -a "$gx" -lt "$wx"
read -r lo hi gx wx < <(order "$tmp/bidi/2.pdf")
check "Arabic report: name, then 11, then the school, right to left" "name $lo-$hi, 11 at $gx, school at $wx" \
    test "$lo" -gt "$gx" -a "$gx" -gt "$wx"

finish roster
