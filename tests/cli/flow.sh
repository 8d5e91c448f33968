#!/usr/bin/env bash
# Careers the schema accepts that are longer than ours: the report flows them onto as
# many pages as they need, with nothing overlapping, crossing the margins or dropped
# (checked from pdftotext's word boxes by tests/proptest/geom.py); a handout that cannot
# hold them names the career's own file, line and field. Then the property test's
# quick subset (tests/proptest/run.sh --quick); `make proptest` runs 500 variants.
. "$(dirname "$0")/lib.sh" flow

content=$tmp/content
mkdir -p "$content/careers"
ln -s "$root/content/schema" "$root/content/strings" "$content/"
for f in "$root"/content/careers/*.yaml; do ln -s "$f" "$content/careers/"; done
margins=42.52,36.85,45.35,45.35   # the report's: 15, 13, 16, 16 mm

# variant ID PYTHON: content/careers/ID.yaml, ai-engineer.yaml with `c` changed by PYTHON.
# One python3 makes them all, started once (with PyYAML and the career read, a start
# costs 70 ms of CPU): it reads an id and a change (each ended by a NUL) and answers "ok"
# or what went wrong when the file is written.
coproc VARIANTS { python3 -c '
import copy, os, sys, yaml
base = yaml.load(open("content/careers/ai-engineer.yaml", encoding="utf-8"), Loader=yaml.CSafeLoader)
def words(n, stem="lorem"):
    """n characters of numbered words: every one can be looked for in the output."""
    out, i = [], 0
    while len(" ".join(out)) < n:
        out.append("%s%d" % (stem, i)); i += 1
    return " ".join(out)[:n].rstrip()
def field():
    b = bytearray()
    while (ch := sys.stdin.buffer.read(1)) not in (b"", b"\0"):
        b += ch
    return b.decode("utf-8") if ch else None
while (cid := field()) is not None and (change := field()) is not None:
    try:
        c = copy.deepcopy(base)
        c["id"] = cid
        exec(change)
        with open("%s/careers/%s.yaml" % (sys.argv[1], cid), "w", encoding="utf-8") as f:
            # (libyaml as the emitter: the pure-Python one takes 0.1 s a career)
            yaml.dump(c, f, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False,
                      width=10 ** 6)
        print("ok", flush=True)
    except Exception as e:
        print("%s: %s" % (type(e).__name__, e), flush=True)
' "$content"; }
variant() {
    local reply=""
    printf '%s\0%s\0' "$1" "$2" >&"${VARIANTS[1]}"
    IFS= read -r reply <&"${VARIANTS[0]}"
    [ "$reply" = ok ] || not_ok "variant $1" "${reply:-the python3 making the variants has stopped}"
}

# clean NAME PDF [ARGS]: geometry of PDF is clean
clean() {
    local name=$1 pdf=$2
    shift 2
    [ -f "$pdf" ] || { not_ok "$name" "no PDF written"; return; }
    local res
    res=$(python3 "$root/tests/proptest/geom.py" "$pdf" --margins "$margins" "$@")
    if [ $? -eq 0 ]; then ok "$name"; else not_ok "$name" "$(echo "$res" | tr '\n' ' ' | cut -c1-300)"; fi
}

# Advantages and challenges at 10 items of 300 characters: the `columns` block is
# taller than a page. It used to be refused ("blocks[43]: this part is 1073 pt tall");
# now the columns continue page after page.
variant long-columns 'c["advantages"] = [words(300, "adv%d" % i) for i in range(10)]
c["challenges"] = [words(300, "cha%d" % i) for i in range(10)]'
for paper in A4 Letter; do
    run --content "$content" --career long-columns --paper "$paper" -o "$tmp/cols-$paper.pdf"
    expect_rc "columns taller than a page flow on ($paper)" 0
    clean "columns taller than a page: no overlap, nothing outside ($paper)" "$tmp/cols-$paper.pdf"
done
if [ -f "$tmp/cols-A4.pdf" ]; then
    t=$(pdftotext "$tmp/cols-A4.pdf" - | tr -s ' \n' '  ')
    if [[ $t == *adv00* && $t == *adv90* && $t == *cha00* && $t == *cha90* ]]; then
        ok "every item of both columns is printed"
    else
        not_ok "every item of both columns is printed" "first or last items missing"
    fi
fi

# Fifteen skills with long names, in Devanagari and Arabic too: the rating group is
# taller than a Letter page and breaks between ratings.
variant long-skills 'c["skills"] = [{"name": words(94, "skill%d" % i) + " विश्लेषण प्रशिक्षण الذكاء",
    "importance": "high"} for i in range(15)]'
run --content "$content" --career long-skills --paper Letter -o "$tmp/skills.pdf"
expect_rc "a rating group taller than a page breaks between ratings" 0
[ -f "$tmp/skills.pdf" ] && clean "long ratings: no overlap" "$tmp/skills.pdf"

# A web address and a long compound word where a line has room for neither: broken
# inside the word, never past the margin (who_should flows its items on lines).
variant long-words 'c["who_should"] = ["https://careers.example.org/guides/registered-nurse/2026/full-report?lang=en-and-more-words",
    "Donaudampfschifffahrtsgesellschaftskapitaensanwaerterinnenausbildungsverordnung"]
c["faq"][0]["a"] = "See " + "x" * 150 + " for more."'
run --content "$content" --career long-words -o "$tmp/words.pdf"
expect_rc "long unbreakable words print" 0
[ -f "$tmp/words.pdf" ] && clean "long words stay inside the margins" "$tmp/words.pdf"

# A 200-character title: the footer shortens it with an ellipsis before "Page 1 of N";
# 120-character roles and fields make contents entries of two lines, each entry below
# the one before, its page number on its last line.
variant long-title 'c["title"] = words(200, "title")
c["role"] = words(120, "role"); c["a_role"] = words(120, "arole")
c["role_plural"] = words(120, "roles"); c["field"] = words(120, "field")'
run --content "$content" --career long-title -o "$tmp/title.pdf"
expect_rc "long title, role and field print" 0
if [ -f "$tmp/title.pdf" ]; then
    clean "long footer and two-line contents entries: no overlap" "$tmp/title.pdf"
    # The footer's words end left of "Page" (pdftotext gives the whole title behind
    # the ellipsis glyph, so look at where the words stand, not at what they say).
    gap=$(pdftotext -f 2 -l 2 -bbox "$tmp/title.pdf" - | python3 -c '
import re, sys
words = re.findall(r"xMin=\"([\d.]+)\" yMin=\"([\d.]+)\" xMax=\"([\d.]+)\"[^>]*>([^<]*)<", sys.stdin.read())
page = [w for w in words if w[3] == "Page"][-1]
line = [w for w in words if abs(float(w[1]) - float(page[1])) < 2 and w is not page]
print("%.1f" % (float(page[0]) - max(float(w[2]) for w in line if float(w[0]) < float(page[0]))))')
    if awk -v g="$gap" 'BEGIN { exit !(g >= 6) }'; then
        ok "a long footer title stops short of the page number"
    else
        not_ok "a long footer title stops short of the page number" "gap ${gap} pt"
    fi
fi

# Three careers compared (the schema allows three columns): the third is printed, and
# the heading names all three instead of showing "{left} vs {right}".
variant three-way 'c["comparison"]["columns"] = ["Prompt Engineer", "AI Engineer", "Data Scientist"]
for r in c["comparison"]["rows"]: r["values"] = r["values"][:2] + ["thirdcol"]'
run --content "$content" --career three-way -o "$tmp/three.pdf"
expect_rc "a three-way comparison prints" 0
if [ -f "$tmp/three.pdf" ]; then
    t=$(pdftotext "$tmp/three.pdf" - | tr -s ' \n' '  ')
    check "the third compared career's column is printed" "no 'thirdcol' in the text" \
        grep -q thirdcol <<<"$t"
    check "the comparison heading names the three careers" "heading: $(grep -o '.\{30\}vs.\{40\}' <<<"$t" | head -1)" \
        grep -q "Prompt Engineer vs AI Engineer, Data Scientist" <<<"$t"
fi

# `illustrative: [salary]` (a parent path) marks the blocks under it: the level table
# and chart, the regional table and the note; tags of blocks in a row come once.
variant parent-illustrative 'c["illustrative"] = ["salary"]'
run --content "$content" --career parent-illustrative -o "$tmp/ill.pdf"
expect_rc "a parent path in illustrative is accepted" 0
if [ -f "$tmp/ill.pdf" ]; then
    n=$(pdftotext "$tmp/ill.pdf" - | grep -c '^Illustrative')
    if [ "$n" -ge 1 ]; then ok "a parent path marks the blocks under it ($n tags)"
    else not_ok "a parent path marks the blocks under it" "no Illustrative tag"; fi
fi

# A handout that cannot hold the career even at its shortest (roadmap cut to 3 steps,
# FAQ to 1 question) names the career's file, line and field, the block and the way
# out, not the layout's max_pages line; no PDF is written.
variant long-roadmap 'c["roadmap"] = [{"title": words(120, "step%d" % i), "text": words(1200, "t%d" % i)} for i in range(10)]'
run --content "$content" --career long-roadmap --layout handout -o "$tmp/h.pdf"
if [ "$rc" -eq 2 ] && grep -q "careers/long-roadmap.yaml:[0-9]*:[0-9]*: error: [a-z_]*\[[0-9]\]: does not fit page 2 of the handout, after what comes before it there (its [a-z_]* block, .*handout.yaml:[0-9]*)" "$tmp/err" \
    && grep -q -- "--layout report" "$tmp/err" && [ ! -e "$tmp/h.pdf" ]; then
    ok "a handout too long names the career file, line and field"
else
    not_ok "a handout too long names the career file, line and field" "exit $rc: $(first_err)"
fi

# Six pay levels with long names (the schema allows eight): the handout never cuts a pay
# ladder, so it says how many levels its chart has room for, at the career's own line.
variant long-levels 'c["salary"]["levels"] = [{"level": words(100, "level%d" % i), "experience": "%d-%d years" % (2 * i, 2 * i + 2),
    "min": 30000 + 10000 * i, "max": 40000 + 12000 * i, "currency": "USD"} for i in range(6)]'
for paper in A4 Letter; do
    run --content "$content" --career long-levels --layout handout --paper "$paper" -o "$tmp/lv.pdf"
    if [ "$rc" -eq 2 ] && grep -q "careers/long-levels.yaml:[0-9]*:[0-9]*: error: salary.levels: 6 levels do not fit the handout's salary chart (room for [1-5]); shorten the list or print it with --layout report" "$tmp/err" \
        && [ ! -e "$tmp/lv.pdf" ]; then
        ok "too many pay levels for the handout: how many fit, at the career's line ($paper)"
    else
        not_ok "too many pay levels for the handout: how many fit, at the career's line ($paper)" "exit $rc: $(first_err)"
    fi
done

# A back side that runs long: the handout shortens the lists its layout file lets it
# (roadmap down to 3 steps, FAQ down to 1 question), says "+N more in the full report"
# where items are left out, and still prints on two clean pages.
variant long-back 'c["roadmap"] = [{"title": words(60, "step%d" % i), "text": words(700, "t%d" % i)} for i in range(8)]
c["faq"] = [{"q": words(100, "q%d" % i), "a": words(600, "a%d" % i)} for i in range(6)]'
handout_margins=34.02,31.18,45.35,45.35   # the handout's: 12, 11, 16, 16 mm
for paper in A4 Letter; do
    run --content "$content" --career long-back --layout handout --paper "$paper" -o "$tmp/lb-$paper.pdf"
    expect_rc "a long back side is shortened to fit ($paper)" 0
    [ -f "$tmp/lb-$paper.pdf" ] || continue
    t=$(pdftotext "$tmp/lb-$paper.pdf" -)
    steps=$(grep -c '^Step [0-9]:' <<<"$t")
    if [ "$(pages_of "$tmp/lb-$paper.pdf")" = 2 ] && [ "$steps" -ge 3 ] && [ "$steps" -lt 5 ] \
        && grep -q "+$((8 - steps)) more in the full report" <<<"$t"; then
        ok "the handout cut the roadmap to $steps steps and says how many more ($paper)"
    else
        not_ok "the handout cut the roadmap and says how many more ($paper)" "$steps steps, $(pages_of "$tmp/lb-$paper.pdf") pages"
    fi
    margins=$handout_margins clean "a shortened handout: no overlap, nothing outside ($paper)" "$tmp/lb-$paper.pdf"
done
# The same career in a handbook of every career is shortened the same way: the same
# roadmap steps and FAQ answers are printed, with the same notes.
mkdir -p "$tmp/c2/careers"
ln -s "$root/content/schema" "$root/content/strings" "$tmp/c2/"
ln -s "$root"/content/careers/*.yaml "$content/careers/long-back.yaml" "$tmp/c2/careers/"
run --content "$tmp/c2" --all --layout handout --merge "$tmp/book-h.pdf" -q
if [ -f "$tmp/book-h.pdf" ] && [ -f "$tmp/lb-A4.pdf" ]; then
    # Steps and answers by their first word (t30, a00: this career's own); its notes
    # (the other careers have theirs too).
    shown() { pdftotext "$1" - | grep -o '\b[ta][0-9]0\b' | sort -u; }
    single=$(shown "$tmp/lb-A4.pdf") book=$(shown "$tmp/book-h.pdf")
    notes=$(pdftotext "$tmp/lb-A4.pdf" - | grep 'more in the full report' |
            grep -v -x -F -f <(pdftotext "$tmp/book-h.pdf" -))
    check "a handbook shortens a handout as a single run does" "single: $(echo $single) book: $(echo $book) $notes" \
        test "$single" = "$book" -a -z "$notes"
else
    not_ok "a handbook shortens a handout as a single run does" "exit $rc: $(first_err)"
fi

# A roster run: the student whose career cannot be printed as a handout fails alone
# (exit 1, the career's field in the manifest), the others are written.
printf 'name,career\nAnanya,ai-engineer\nBo,long-levels\nCy,long-back\n' > "$tmp/r.csv"
run --content "$content" --roster "$tmp/r.csv" --layout handout --out-dir "$tmp/rout" -q
if [ "$rc" -eq 1 ] && [ -f "$tmp/rout/Ananya-ai-engineer.pdf" ] && [ -f "$tmp/rout/Cy-long-back.pdf" ] \
    && [ ! -e "$tmp/rout/Bo-long-levels.pdf" ] \
    && grep -q "^2,.*,failed,.*careers/long-levels.yaml:[0-9]*:[0-9]*: salary.levels: 6 levels do not fit" "$tmp/rout/manifest.csv"; then
    ok "a roster row whose handout cannot fit fails that row only"
else
    not_ok "a roster row whose handout cannot fit fails that row only" "exit $rc: $(ls "$tmp/rout" 2>/dev/null | tr '\n' ' ')"
fi

# A poster heading too long for its two lines is the career's text: the message is at
# the career field the heading fills in ({role_plural}), not at the poster's layout.
variant long-plural 'c["role_plural"] = words(120, "plural")'
run --content "$content" --career long-plural --layout poster -o "$tmp/lp.pdf"
if [ "$rc" -eq 2 ] && grep -q "careers/long-plural.yaml:[0-9]*:[0-9]*: error: role_plural: .* does not fit the title box of the heading block" "$tmp/err" \
    && ! grep -q "poster.yaml" "$tmp/err"; then
    ok "a poster heading too long names the career field it fills in"
else
    not_ok "a poster heading too long names the career field it fills in" "exit $rc: $(first_err)"
fi

# A paragraph longer than the room left on a page starts there and goes on at the top of
# the next (two lines at least on each side), instead of leaving the page empty below
# the stat cards: the generator's `max` intro used to move whole to page 2.
variant long-intro 'c["intro"] = [words(2000, "introa"), words(2000, "introb")]'
run --content "$content" --career long-intro -o "$tmp/li.pdf"
expect_rc "a long intro prints" 0
if [ -f "$tmp/li.pdf" ]; then
    p1=$(pdftotext -f 1 -l 1 "$tmp/li.pdf" - | grep -o 'introb[0-9]*' | wc -l)
    p2=$(pdftotext -f 2 -l 2 "$tmp/li.pdf" - | grep -o 'introb[0-9]*' | wc -l)
    if [ "$p1" -ge 20 ] && [ "$p2" -ge 10 ]; then
        ok "a long paragraph starts on page 1 and goes on on page 2 ($p1 + $p2 words)"
    else
        not_ok "a long paragraph starts on page 1 and goes on on page 2" "$p1 words on page 1, $p2 on page 2"
    fi
    clean "a paragraph across pages: no overlap, nothing outside" "$tmp/li.pdf"
fi

# --check lays the career out with every bundled layout on A4 and on Letter, and says
# which career, layout and paper failed; the summary names the failing careers.
run --content "$content" --check "$content/careers/long-roadmap.yaml"
if [ "$rc" -eq 2 ] && grep -q "long-roadmap.yaml: does not print with the handout layout on A4" "$tmp/err" \
    && grep -q "checked 1 career.*: 0 ok, 1 with errors (.*long-roadmap.yaml)" "$tmp/err"; then
    ok "--check names the career, layout and paper that fail"
else
    not_ok "--check names the career, layout and paper that fail" "exit $rc: $(tail -n 2 "$tmp/err" | tr '\n' ' ')"
fi
run --content "$content" --check "$content/careers/long-roadmap.yaml" --paper Letter
check "--check --paper Letter checks Letter only" "$(tail -n 2 "$tmp/err" | tr '\n' ' ')" \
    grep -q "handout layout on Letter" "$tmp/err"
check "... and not A4" "$(tail -n 2 "$tmp/err" | tr '\n' ' ')" \
    bash -c "! grep -q 'on A4' '$tmp/err'"

# The salary chart keeps with its table and heading: on Letter software-developer's
# chart used to start a page alone.
# (make test: the Letter report that broke and one A4; make test-full: all six.)
if [ "${CAREERPDF_FULL:-0}" = 1 ]; then
    charts="ai-engineer:A4 ai-engineer:Letter software-developer:A4 software-developer:Letter
            nurse:A4 nurse:Letter"
else
    charts="software-developer:Letter nurse:A4"
fi
for cp in $charts; do
    c=${cp%%:*} paper=${cp#*:}
    run --career "$c" --paper "$paper" -o "$tmp/chart.pdf"
    # One pdftotext for the whole file: its pages are separated by form feeds.
    pdftotext "$tmp/chart.pdf" "$tmp/chart.txt"
    alone=$(awk 'BEGIN { RS = "\f" }
                 /Annual salary/ && !/salary in 2026/ { print "page " NR; exit }' "$tmp/chart.txt")
    if [ -z "$alone" ]; then ok "the salary chart is on its heading's page ($c, $paper)"
    else not_ok "the salary chart is on its heading's page ($c, $paper)" "alone on $alone"; fi
done

# The handbook's skills index with a layout that has no skills heading (the handout):
# each entry gives the page of its chapter, never "p. 0".
run --all --layout handout --merge "$tmp/book.pdf" -q
expect_rc "handbook with the handout layout" 0
if [ -f "$tmp/book.pdf" ]; then
    t=$(pdftotext "$tmp/book.pdf" -)
    if grep -q 'p\. 0\b' <<<"$t"; then not_ok "handbook index pages with the handout layout" "p. 0 in the index"
    elif grep -q 'p\. [1-9]' <<<"$t"; then ok "handbook index pages with the handout layout"
    else not_ok "handbook index pages with the handout layout" "no page references"; fi
fi

# Arabic labels: a pay range reads from the right, the lower amount first, also when
# the amounts are Latin symbols and digits (CN¥ from labels that have no Arabic name for
# the yuan), which used to make a left-to-right line that reads from its upper end.
variant yuan 'for l in c["salary"]["levels"]: l["currency"] = "CNY"'
run --content "$content" --career yuan --lang ar -o "$tmp/yuan-ar.pdf"
expect_rc "a yuan career with Arabic labels" 0
check "the Arabic labels name the yuan in Arabic" "$(pdftotext "$tmp/yuan-ar.pdf" - | grep -m1 -o '.\{20\}95,000.\{20\}')" \
    sh -c "pdftotext '$tmp/yuan-ar.pdf' - | grep -q 'يوان صيني'"
mkdir -p "$tmp/c3/strings"
ln -s "$root/content/schema" "$content/careers" "$tmp/c3/"
cp "$root"/content/strings/*.yaml "$tmp/c3/strings/"
sed -i '/^  CNY: /d' "$tmp/c3/strings/ar.yaml"
run --content "$tmp/c3" --career yuan --lang ar -o "$tmp/yuan.pdf"
expect_rc "a yuan career with Arabic labels that lack its name" 0
if [ -f "$tmp/yuan.pdf" ]; then
    order=$(pdftotext -bbox "$tmp/yuan.pdf" - | python3 -c '
import re, sys
words = re.findall(r"xMin=\"([\d.]+)\" yMin=\"([\d.]+)\"[^>]*>([^<]*)<", sys.stdin.read())
lo = [w for w in words if w[2] == "CN¥95,000"]
hi = [w for w in words if w[2] == "CN¥140,000" and lo and abs(float(w[1]) - float(lo[0][1])) < 2]
print("right-to-left" if lo and hi and float(lo[0][0]) > float(hi[0][0]) else
      "left-to-right" if lo and hi else "not found")')
    check "an Arabic table cell reads a pay range from the right" "$order" \
        test "$order" = right-to-left
fi

# The property test's quick subset: generated careers at every limit.
out=$(CAREERPDF=$CAREERPDF bash "$root/tests/proptest/run.sh" --quick 2>&1)
printf '%s\n' "$out" | grep -v '^proptest:'
passed=$((passed + $(printf '%s\n' "$out" | grep -c '^ok ')))
failed=$((failed + $(printf '%s\n' "$out" | grep -c '^not ok ')))

finish flow
