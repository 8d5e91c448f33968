#!/usr/bin/env bash
# watch.sh - --watch: a build at the start, a new PDF after each edit of the career, the
# layout's logo or a label; a line per build; errors reported and the watch goes on;
# SIGTERM ends it with exit 0.
. "$(dirname "$0")/lib.sh" watch
mkdir -p "$tmp/w/careers"
cp -R content/schema content/strings "$tmp/w/"
cp content/careers/*.yaml "$tmp/w/careers/"
cp examples/school-layout.yaml examples/school-logo.png "$tmp/w/"
career=$tmp/w/careers/nurse.yaml
"$CAREERPDF" --content "$tmp/w" --career "$career" --layout "$tmp/w/school-layout.yaml" \
    -o "$tmp/out.pdf" --watch 2>"$tmp/watch.err" &
pid=$!
# wait_builds N: until stderr has N build lines (wrote or failed), at most 20 s
wait_builds() {
    for _ in $(seq 200); do
        [ "$(grep -cE ' (wrote|build failed)' "$tmp/watch.err")" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
text_has() { pdftotext "$tmp/out.pdf" - 2>/dev/null | tr -s ' \n' ' ' | grep -qF "$1"; }
check "--watch builds at the start" "$(tail -n 2 "$tmp/watch.err")" wait_builds 1
check "the build line says what was written, pages and time" "$(tail -n 1 "$tmp/watch.err")" \
    grep -qE '^careerpdf: [0-9]{2}:[0-9]{2}:[0-9]{2} wrote .*out.pdf: [0-9]+ pages in [0-9]+ ms$' "$tmp/watch.err"
sed -i 's/^role: .*/role: Watchful Nurse/' "$career"
check "an edit of the career gives a second build" "$(tail -n 2 "$tmp/watch.err")" wait_builds 2
check "the new PDF has the edited text" "no 'Watchful Nurse'" text_has "Watchful Nurse"
# An editor's save: a new file renamed over the old one.
sed 's/^role: .*/role: Renamed Nurse/' "$career" >"$tmp/w/careers/.nurse.tmp" &&
    mv "$tmp/w/careers/.nurse.tmp" "$career"
check "a save by rename gives a third build" "$(tail -n 2 "$tmp/watch.err")" wait_builds 3
check "... with the new text" "no 'Renamed Nurse'" text_has "Renamed Nurse"
sed -i 's/^\(  demand: \).*/\111/' "$career"
check "a broken career: the build fails and says so" "$(tail -n 3 "$tmp/watch.err")" wait_builds 4
check "... with the error's place" "$(tail -n 3 "$tmp/watch.err")" \
    grep -q "nurse.yaml:[0-9]*:[0-9]*: error: stats.demand" "$tmp/watch.err"
check "... and the last good PDF is left alone" "text changed" text_has "Renamed Nurse"
sed -i 's/^\(  demand: \).*/\19/' "$career"
check "fixed again: the watch went on and builds" "$(tail -n 2 "$tmp/watch.err")" wait_builds 5
before=$(md5sum <"$tmp/out.pdf")
cp "$root/examples/school-logo.png" "$tmp/w/school-logo.png"; touch "$tmp/w/school-logo.png"
check "a change of the layout's logo gives a build" "$(tail -n 2 "$tmp/watch.err")" wait_builds 6
sed -i 's/^\(  footer: \)/\1/' "$tmp/w/strings/en.yaml"; touch "$tmp/w/strings/en.yaml"
check "a change of the labels gives a build" "$(tail -n 2 "$tmp/watch.err")" wait_builds 7
touch "$tmp/w/careers/unrelated.txt" "$tmp/out.pdf"
sleep 1
check "other files (and the output) do not" "$(grep -cE ' (wrote|build failed)' "$tmp/watch.err") builds" \
    test "$(grep -cE ' (wrote|build failed)' "$tmp/watch.err")" -eq 7
kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM ends the watch with exit 0" "exit $rc" test "$rc" -eq 0
run --career ai-engineer --watch -o -
check "--watch with -o -: exit 2" "exit $rc: $(first_err)" test "$rc" -eq 2
run --roster examples/class-11b.csv --out-dir "$tmp/x" --watch
check "--watch with --roster: exit 2" "exit $rc: $(first_err)" test "$rc" -eq 2
finish watch
