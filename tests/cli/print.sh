#!/usr/bin/env bash
# tests/cli/print.sh - posters, handouts and print finishing, tested on the real binary.
#
#   CAREERPDF=./careerpdf PNGDIFF=build/tools/pngdiff tests/cli/print.sh
#
# Each test prints "ok - NAME" or "not ok - NAME: WHY"; the last line is
# "print: N passed, N failed" and the exit status is non-zero when a test failed.
# Everything is written below one temporary folder that is removed on exit; failed golden
# comparisons leave their pictures in tests/out/ (ignored by git) for a look.
. "$(dirname "$0")/lib.sh" print

# "W H" of page N (default 1) in points.
page_size() { pdfinfo -f "${2:-1}" -l "${2:-1}" "$1" 2>/dev/null |
              sed -n 's/^Page.*size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p' | head -n 1; }
# same_size "W H" W H: equal within 0.1 pt
same_size() { echo "$1 $2 $3" | awk '{exit !(($1-$3)^2 < 0.01 && ($2-$4)^2 < 0.01)}'; }
mm() { awk -v v="$1" 'BEGIN {printf "%.4f", v * 72 / 25.4}'; }

for tool in pdfinfo pdftotext qpdf zbarimg awk; do
    command -v "$tool" >/dev/null || not_ok "tool $tool" "not installed (make deps installs it)"
done
if [ ! -x "$CAREERPDF" ]; then
    not_ok "binary" "$CAREERPDF is not an executable (run make)"
    echo "print: $passed passed, $failed failed"
    exit 1
fi

# A private copy of the content, for careers the tests change (a web address, a title
# too long for the poster).
content=$tmp/content
cp -R content "$content"
url=https://careers.example.org/guides/ai-engineer
sed -i "s|^updated: .*|&\nurl: $url|" "$content/careers/ai-engineer.yaml"

# ---- posters at every named size -----------------------------------------------------
# make test: one ISO and one US size (A3, 24x36in); make test-full: all six. (A2 and A0
# are drawn below too, as the posters the tiling cuts up.)
poster_sizes=("A3 297 420" "24x36in 609.6 914.4")
full && poster_sizes+=("A2 420 594" "A1 594 841" "A0 841 1189" "18x24in 457.2 609.6")
for spec in "${poster_sizes[@]}"; do
    set -- $spec
    paper=$1
    pdf=$tmp/poster-$paper.pdf
    name="poster $paper: one page of exactly $paper, text, qpdf --check"
    run --career ai-engineer --layout poster --paper "$paper" -o "$pdf"
    if [ "$rc" -ne 0 ]; then
        not_ok "$name" "exit $rc: $(first_err)"
    elif [ "$(pages_of "$pdf")" != 1 ]; then
        not_ok "$name" "$(pages_of "$pdf") pages"
    elif ! same_size "$(page_size "$pdf")" "$(mm "$2")" "$(mm "$3")"; then
        not_ok "$name" "page size $(page_size "$pdf") pt, expected $(mm "$2") x $(mm "$3")"
    elif ! pdftotext "$pdf" - | grep -q "Key skills"; then
        not_ok "$name" "no extractable text"
    elif ! qpdf --check "$pdf" >/dev/null 2>&1; then
        not_ok "$name" "qpdf --check: $(qpdf --check "$pdf" 2>&1 | head -n 2 | tr '\n' ' ')"
    else
        ok "$name"
    fi
done

# Every career's poster fits its one page (content that no longer fits fails clearly).
# (make test: two careers; make test-full: all of them.)
for id in $(careers ai-engineer nurse); do
    run --career "$id" --layout poster -o "$tmp/poster-$id.pdf"
    if [ "$rc" -eq 0 ] && [ "$(pages_of "$tmp/poster-$id.pdf")" = 1 ]; then
        ok "poster of $id fits one page"
    else
        not_ok "poster of $id fits one page" "exit $rc: $(first_err)"
    fi
done

# ---- a title too long for the poster's title box ---------------------------------------
long="How to Become an Artificial Intelligence and Machine Learning Infrastructure"
long="$long Engineer Working on Very Large Distributed Training Systems in 2026"
sed "s|^title: .*|title: $long|" "$content/careers/ai-engineer.yaml" \
    >"$content/careers/long-title.yaml"
sed -i "s|^id: .*|id: long-title|" "$content/careers/long-title.yaml"
run --content "$content" --career long-title --layout poster -o "$tmp/long.pdf"
name="an over-long title fails naming the field and the box, writes nothing"
if [ "$rc" -ne 2 ]; then
    not_ok "$name" "exit $rc, expected 2"
elif ! grep -q "long-title.yaml:[0-9]*:[0-9]*: error: title: .*does not fit the title box" \
        "$tmp/err"; then
    not_ok "$name" "message: $(first_err)"
elif [ -e "$tmp/long.pdf" ]; then
    not_ok "$name" "an output file was written"
else
    ok "$name"
fi
rm -f "$content/careers/long-title.yaml"

# ---- handouts: exactly one double-sided sheet ----------------------------------------
for id in $(careers ai-engineer machine-learning-engineer); do
    for paper in A4 Letter; do
        name="handout of $id on $paper has exactly 2 pages"
        run --career "$id" --layout handout --paper "$paper" -o "$tmp/handout.pdf"
        if [ "$rc" -ne 0 ]; then
            not_ok "$name" "exit $rc: $(first_err)"
        elif [ "$(pages_of "$tmp/handout.pdf")" != 2 ]; then
            not_ok "$name" "$(pages_of "$tmp/handout.pdf") pages"
        else
            ok "$name"
        fi
    done
done

# A handout that cannot fit its sheet fails with the layout's rule, never a third page.
mkdir -p "$tmp/layouts"
cp layouts/*.yaml "$tmp/layouts/"
printf 'extends: handout\nblocks:\n  - cover\n  - {kind: timeline, data: growth_path}\n%s\n' \
    "  - {kind: prose, data: intro}" >"$tmp/layouts/long.yaml"
for i in 1 2 3 4 5 6; do
    printf '  - {kind: faq, data: faq}\n  - {kind: prose, data: future_scope}\n' \
        >>"$tmp/layouts/long.yaml"
done
run --layouts "$tmp/layouts" --career ai-engineer --layout long -o "$tmp/long.pdf"
# The message points at the first part of the career that lands past page 2.
name="content over two pages fails, naming the career's file, line and field"
if [ "$rc" -eq 2 ] && grep -q "careers/ai-engineer.yaml:[0-9]*:[0-9]*: error: [a-z_]*\[[0-9]*\]: does not fit the [a-z]*'s 2 pages (needs page 3) (its [a-z]* block, .*long.yaml:[0-9]*)" "$tmp/err" &&
   [ ! -e "$tmp/long.pdf" ]; then
    ok "$name"
else
    not_ok "$name" "exit $rc: $(first_err)"
fi

# A contents block after `if_room` blocks: when they are dropped to meet max_pages, the
# contents is numbered from the pass without them (it used to keep the first pass's
# place, which no longer existed, and failed with no message) and lists no dropped
# heading.
cat >"$tmp/layouts/contents-if-room.yaml" <<'EOF'
extends: report
max_pages: 2
blocks:
  - {kind: heading, title: sections.faq, if_room: 1}
  - {kind: faq, data: faq, if_room: 1}
  - {kind: faq, data: faq, if_room: 1}
  - {kind: faq, data: faq, if_room: 1}
  - {kind: faq, data: faq, if_room: 1}
  - {kind: faq, data: faq, if_room: 1}
  - {kind: faq, data: faq, if_room: 1}
  - {kind: contents, columns: 1}
  - {kind: heading, title: sections.what_is}
  - {kind: prose, data: what_it_is}
  - {kind: heading, title: sections.roadmap}
  - {kind: timeline, data: roadmap}
EOF
run --layouts "$tmp/layouts" --career ai-engineer --layout contents-if-room \
    -o "$tmp/contents-if-room.pdf"
expect_rc "contents after dropped if_room blocks: written (exit 0)" 0
toc=$(pdftotext -layout "$tmp/contents-if-room.pdf" - 2>/dev/null | head -3)
check "... the contents numbers the kept headings" "$toc" \
    bash -c 'grep -q "What is AI Engineering? *[0-9]" <<<"$1" &&
             grep -q "step-by-step roadmap *[0-9]" <<<"$1"' _ "$toc"
check "... and lists no dropped heading" "$toc" \
    bash -c '! grep -q "Frequently asked questions" <<<"$1"' _ "$toc"

# ---- tiling: sheet count, labels, assembly map -----------------------------------------
# Expected sheets: both orientations, 10 mm margins and 10 mm overlap, the fewer wins.
expect_sheets() { # POSTER_W POSTER_H SHEET_W SHEET_H (mm)
    awk -v W="$1" -v H="$2" -v sw="$3" -v sh="$4" 'function n(len, part) {
            if (len <= part + 0.01) return 1
            v = (len - 10) / (part - 10); return (v == int(v)) ? v : int(v) + 1 }
        BEGIN { p = n(W, sw - 20) * n(H, sh - 20); l = n(W, sh - 20) * n(H, sw - 20)
                print (l < p) ? l : p }'
}
rowname() { printf "\\$(printf '%03o' $((65 + $1)))"; }
for spec in "A2 420 594 A4 210 297" "A0 841 1189 Letter 215.9 279.4"; do
    set -- $spec
    poster=$1 sheet=$4
    want=$(expect_sheets "$2" "$3" "$5" "$6")
    pdf=$tmp/tiled-$poster.pdf
    name="--tile $sheet of an $poster poster: map + $want sheets, each labelled"
    run --career ai-engineer --layout poster --paper "$poster" --tile "$sheet" -o "$pdf"
    if [ "$rc" -ne 0 ]; then
        not_ok "$name" "exit $rc: $(first_err)"
        continue
    fi
    pages=$(pages_of "$pdf")
    if [ "$pages" != $((want + 1)) ]; then
        not_ok "$name" "$pages pages, expected $((want + 1))"
        continue
    fi
    why=""
    # Every sheet draws the whole poster: one pdftotext and one pdfinfo for the file
    # (pages apart by form feeds, one size line a page), not one of each a sheet.
    mapfile -d $'\f' -t text < <(pdftotext "$pdf" - 2>/dev/null)
    mapfile -t sizes < <(pdfinfo -f 1 -l "$pages" "$pdf" 2>/dev/null |
        sed -n 's/^Page.*size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2/p')
    [[ ${text[0]:-} == *"Assembly map"* ]] || why="no assembly map first"
    # Sheets are row by row; each names its row letter and column number.
    cols=$(sed -n 's/.*column 1 of \([0-9]*\).*/\1/p' <<<"${text[1]:-}" | head -n 1)
    w=$(mm "$5") h=$(mm "$6")
    for ((p = 2; p <= pages && ${#why} == 0; p++)); do
        i=$((p - 2))
        label="row $(rowname $((i / ${cols:-1}))) of .*, column $((i % ${cols:-1} + 1)) of $cols"
        grep -q "$label" <<<"${text[p - 1]:-}" || why="sheet $p has no '$label'"
        size=${sizes[p - 1]:-}
        same_size "$size" "$w" "$h" || same_size "$size" "$h" "$w" || why="sheet $p is $size pt, not $sheet"
    done
    qpdf --check "$pdf" >/dev/null 2>&1 || why="${why:-qpdf --check fails}"
    if [ -z "$why" ]; then ok "$name"; else not_ok "$name" "$why"; fi
done

run --career ai-engineer --layout poster --paper A5 --tile A4 -o "$tmp/t.pdf"
if [ "$rc" -eq 2 ] && grep -q "already fits on one A4 sheet" "$tmp/err" &&
   [ ! -e "$tmp/t.pdf" ]; then
    ok "--tile of a page that fits one sheet is refused"
else
    not_ok "--tile of a page that fits one sheet is refused" "exit $rc: $(first_err)"
fi

# ---- bleed ---------------------------------------------------------------------------------
run --career ai-engineer --layout poster --paper A3 --bleed 3 -o "$tmp/bleed.pdf"
name="--bleed 3: page grows by bleed and crop-mark slug (7 mm) on each side"
if [ "$rc" -ne 0 ]; then
    not_ok "$name" "exit $rc: $(first_err)"
elif ! same_size "$(page_size "$tmp/bleed.pdf")" "$(mm 317)" "$(mm 440)"; then
    not_ok "$name" "page size $(page_size "$tmp/bleed.pdf")"
elif ! qpdf --check "$tmp/bleed.pdf" >/dev/null 2>&1; then
    not_ok "$name" "qpdf --check fails"
else
    ok "$name"
fi

# ---- QR codes scan -----------------------------------------------------------------------
for layout in poster handout; do
    png=$tmp/qr-$layout.png
    name="QR code on the $layout decodes to the career's url"
    run --content "$content" --career ai-engineer --layout "$layout" --format png --dpi 150 \
        --page 1 -o "$png"
    got=$(zbarimg --quiet --raw "$png" 2>/dev/null | head -n 1)
    if [ "$rc" -ne 0 ]; then
        not_ok "$name" "exit $rc: $(first_err)"
    elif [ "$got" != "$url" ]; then
        not_ok "$name" "decoded '$got'"
    else
        ok "$name"
    fi
done

# The qr block kind, with the address from the layout (placeholders filled).
qr_layout "$tmp/layouts"
run --layouts "$tmp/layouts" --career ai-engineer --layout qr --format png --dpi 150 \
    -o "$tmp/qr-block.png"
got=$(zbarimg --quiet --raw "$tmp/qr-block.png" 2>/dev/null | head -n 1)
if [ "$rc" -eq 0 ] && [ "$got" = "https://example.org/guides/ai-engineer" ]; then
    ok "qr block with a layout url decodes"
else
    not_ok "qr block with a layout url decodes" "exit $rc, decoded '$got' $(first_err)"
fi

# ---- greyscale ---------------------------------------------------------------------------
if [ -x "$PNGDIFF" ]; then
    for layout in poster handout; do
        run --career ai-engineer --layout "$layout" --grayscale --format png --dpi 40 \
            --page 1 -o "$tmp/grey.png"
        if [ "$rc" -eq 0 ] && "$PNGDIFF" --grey "$tmp/grey.png" >/dev/null 2>&1; then
            ok "--grayscale $layout has no colour"
        else
            not_ok "--grayscale $layout has no colour" "exit $rc $(first_err)"
        fi
    done
    run --career ai-engineer --layout poster --paper A2 --tile A4 --grayscale --format png \
        --dpi 40 --page 1 -o "$tmp/grey-map.png"
    if [ "$rc" -eq 0 ] && "$PNGDIFF" --grey "$tmp/grey-map.png" >/dev/null 2>&1; then
        ok "--grayscale assembly map has no colour"
    else
        not_ok "--grayscale assembly map has no colour" "exit $rc $(first_err)"
    fi
fi

# ---- golden pixels ---------------------------------------------------------------------------
# Low resolution on purpose: they catch a moved block or a missing line, not anti-aliasing.
golden=tests/golden
for spec in "poster-a3 1 --layout poster --paper A3" "handout-a4-p1 1 --layout handout" \
            "handout-a4-p2 2 --layout handout" \
            "handout-letter-p1 1 --layout handout --paper Letter"; do
    set -- $spec
    id=$1 page=$2
    shift 2
    name="golden pixels: $id at 30 dpi"
    want=$golden/$id.png
    got=$tmp/$id.png
    run --career ai-engineer "$@" --format png --dpi 30 --page "$page" -o "$got"
    if [ ! -f "$want" ]; then
        not_ok "$name" "no $want (make golden-update)"
    elif [ "$rc" -ne 0 ]; then
        not_ok "$name" "render failed: exit $rc $(first_err)"
    elif [ ! -x "$PNGDIFF" ]; then
        not_ok "$name" "$PNGDIFF missing (make build/tools/pngdiff)"
    elif verdict=$("$PNGDIFF" "$want" "$got" "$tmp/$id-diff.png" 2>&1); then
        ok "$name"
    else
        mkdir -p tests/out
        cp "$got" "tests/out/$id.png"
        [ -f "$tmp/$id-diff.png" ] && cp "$tmp/$id-diff.png" "tests/out/$id-diff.png"
        not_ok "$name" "$verdict; see tests/out/$id.png and $id-diff.png"
    fi
done

finish print
