#!/usr/bin/env bash
# deb.sh - the Debian package as an admin gets it (make deb-test): unpacked with
# `dpkg-deb -x` into a temporary root, its binary run from there, from another folder,
# with nothing but its installed data (/usr/share/careerpdf under that root): a report,
# a small roster, --check of the installed content. CAREERPDF_DEB names the .deb.
. "$(dirname "$0")/lib.sh" deb
deb=$(abs "${CAREERPDF_DEB:?set CAREERPDF_DEB to the .deb (make deb-test does)}")
droot=$tmp/root
bin=$droot/usr/bin/careerpdf
version=$(head -n 1 debian/changelog | cut -d ' ' -f 2 | tr -d '()')

check "the package unpacks (dpkg-deb -x)" "dpkg-deb failed" dpkg-deb -x "$deb" "$droot"
check "package version is the changelog's ($version)" "$(dpkg-deb -f "$deb" Version)" \
    test "$(dpkg-deb -f "$deb" Version)" = "$version"
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends comes from the libraries (shlibs)" "$depends" \
    bash -c 'grep -q libcairo2 <<<"$1" && grep -q libyaml <<<"$1" && grep -q libhpdf <<<"$1"' _ "$depends"
missing=""
for f in usr/bin/careerpdf usr/share/man/man1/careerpdf.1.gz \
    usr/share/bash-completion/completions/careerpdf usr/share/doc/careerpdf/copyright \
    usr/share/careerpdf/content/careers/ai-engineer.yaml \
    usr/share/careerpdf/content/schema/career.yaml usr/share/careerpdf/layouts/report.yaml \
    usr/share/careerpdf/fonts/NotoSans-Regular.ttf usr/share/careerpdf/fonts/fonts.conf; do
    [ -e "$droot/$f" ] || missing="$missing $f"
done
check "package holds binary, data, man page, completion, copyright" "missing:$missing" \
    test -z "$missing"
check "copyright names the fonts' licence (OFL-1.1)" "no OFL-1.1 paragraph" \
    grep -q '^License: OFL-1.1' "$droot/usr/share/doc/careerpdf/copyright"

# Everything below runs from a folder of its own: nothing may come from the source tree.
work=$tmp/work
mkdir -p "$work"
cd "$work" || exit 2
drun() { "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }

drun --version
expect_rc "installed --version (exit 0)" 0
check "installed --version prints $version" "$(cat "$tmp/out")" \
    grep -qx "careerpdf $version" "$tmp/out"
drun --list
expect_rc "installed --list (exit 0)" 0
check "installed --list shows the bundled careers" "$(head -c 200 "$tmp/out")" \
    bash -c '[ "$(wc -l <"$1")" -ge 6 ] && grep -q "^ai-engineer	" "$1"' _ "$tmp/out"
drun --career ai-engineer
expect_rc "installed binary renders a report (exit 0)" 0
check "the report is ./ai-engineer.pdf, 3-6 pages, fonts embedded" "$(pages_of ai-engineer.pdf) pages" \
    bash -c 'n=$(pdfinfo ai-engineer.pdf | awk "/^Pages:/ {print \$2}"); [ "$n" -ge 3 ] && [ "$n" -le 6 ] &&
             ! pdffonts ai-engineer.pdf | tail -n +3 | awk "{print \$(NF-4)}" | grep -qv yes'
if [ -x "$root/careerpdf" ]; then
    "$root/careerpdf" --career ai-engineer -o "$tmp/tree.pdf" 2>/dev/null
    check "installed report has the same bytes as the source tree's" "files differ" \
        cmp -s ai-engineer.pdf "$tmp/tree.pdf"
fi
head -n 4 "$root/examples/class-11b.csv" >roster.csv
drun --roster roster.csv --out-dir reports -j 2 -q
expect_rc "installed binary runs a 3-row roster (exit 0)" 0
check "the roster run writes 3 reports and a manifest" "$(ls reports 2>&1 | tr '\n' ' ')" \
    bash -c '[ "$(ls reports/*.pdf | wc -l)" -eq 3 ] && [ "$(wc -l <reports/manifest.csv)" -eq 4 ]'
# The GNU parallel example as an admin runs it: the package's careerpdf found by name.
if command -v parallel >/dev/null; then
    env -u CAREERPDF PATH="$droot/usr/bin:$PATH" "$root/examples/sharding/parallel.sh" \
        roster.csv par 2 >"$tmp/out" 2>"$tmp/err"
    rc=$?
    expect_rc "examples/sharding/parallel.sh runs the package's careerpdf by name (exit 0)" 0
    check "parallel.sh: 3 reports, one joined manifest" "$(ls par 2>&1 | tr '\n' ' ')" \
        bash -c '[ "$(ls par/*.pdf | wc -l)" -eq 3 ] && [ "$(wc -l <par/manifest.csv)" -eq 4 ]'
fi
drun --check "$droot/usr/share/careerpdf/content"
expect_rc "installed --check of the installed content (exit 0)" 0
check "--check counts every installed career" "$(cat "$tmp/err")" \
    grep -q 'checked [0-9]* careers with [0-9]* layouts: [0-9]* ok, 0 with errors' "$tmp/err"
printf 'id: broken\n' >broken.yaml
drun --check broken.yaml
expect_rc "installed --check of a broken career (exit 2)" 2
check "installed man page formats" "man/groff failed" \
    bash -c 'zcat "$1" | groff -man -ww -z' _ "$droot/usr/share/man/man1/careerpdf.1.gz"
finish deb
