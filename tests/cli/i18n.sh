#!/usr/bin/env bash
# tests/cli/i18n.sh - reports in other languages (Hindi and Arabic labels and careers,
# right-to-left layout, missing labels and glyphs, --check of translations) and the
# handbook (contents, chapters, links, outline, index), tested on the real binary.
#
#   CAREERPDF=./careerpdf tests/cli/i18n.sh
#
# Each test prints "ok - NAME" or "not ok - NAME: WHY"; the last line is
# "i18n: N passed, N failed" and the exit status is non-zero when a test failed.
# Everything is written below one temporary folder that is removed on exit.
#
# The strings looked for in the PDFs are read from content/ at run time (titles, labels,
# FAQ questions), so the tests follow the data when a translation changes.
. "$(dirname "$0")/lib.sh" i18n

is_pdf() { [ -s "$1" ] && [ "$(head -c 5 "$1")" = "%PDF-" ]; }

for tool in pdfinfo pdffonts pdftotext qpdf python3 awk; do
    command -v "$tool" >/dev/null || not_ok "tool $tool" "not installed (make deps installs it)"
done
if [ ! -x "$CAREERPDF" ] && ! command -v "$CAREERPDF" >/dev/null; then
    not_ok "binary" "$CAREERPDF is not an executable (run make)"
    echo "i18n: $passed passed, $failed failed"
    exit 1
fi

# ---- reading the content files ---------------------------------------------------------
# unquote: a YAML plain or double-quoted one-line scalar, quotes removed
unquote() { sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'\$/\1/"; }
# top_value FILE KEY: the one-line value of a top-level KEY
top_value() { sed -n "s/^$2: *//p" "$1" | head -n 1 | unquote; }
# block_value FILE BLOCK KEY: the one-line value of `  KEY:` inside the top-level BLOCK
block_value() {
    awk -v block="$2" -v key="$3" '
        /^[^ #]/ { inside = ($0 ~ "^" block ":") }
        inside && index($0, "  " key ": ") == 1 { sub("^  " key ": *", ""); print; exit }
    ' "$1" | unquote
}
# list_items FILE BLOCK KEY: the values of `  - KEY: VALUE` items in the top-level BLOCK
list_items() {
    awk -v block="$2" -v key="$3" '
        /^[^ #]/ { inside = ($0 ~ "^" block ":") }
        inside && index($0, "  - " key ": ") == 1 { sub("^  - " key ": *", ""); print }
    ' "$1" | unquote
}
# without_block FILE BLOCK: the file with the top-level BLOCK (and its lines) left out
without_block() {
    awk -v block="$2" '
        /^[^ #]/ { skip = ($0 ~ "^" block ":") }
        !skip
    ' "$1"
}

# ---- finding text in a PDF ---------------------------------------------------------------
# pdf_missing PDF PHRASE...: prints the phrases that pdftotext does not find in PDF.
# pdftotext breaks Devanagari and Arabic words where it should not (a matra or a
# letter-spaced label comes out as "वे त न", a damma as "ب ُعد"), so white space is
# ignored on both sides, and so are the bidi controls it puts around Arabic and Latin
# runs (U+202A-U+202E, U+200E, U+200F). Arabic lines come out in logical order, but
# poppler writes each lam-alef ligature (لا لأ لإ لآ, and لى) with its two letters
# swapped ("الطلاب" as "الطالب"), so a phrase is found as written or with those pairs
# swapped.
pdf_missing() {
    local pdf=$1
    shift
    pdftotext "$pdf" "$tmp/find.txt" 2>/dev/null || : >"$tmp/find.txt"
    python3 - "$tmp/find.txt" "$@" <<'EOF'
import re, sys
IGNORED = re.compile('[\u200e\u200f\u202a-\u202e\u2066-\u2069\\s]+')
def squash(s):
    return IGNORED.sub('', s)
def lam_swapped(s):  # لأ -> أل: how pdftotext writes a lam-alef ligature (in a word)
    return re.sub('\u0644([\u0622\u0623\u0625\u0627\u0649])', '\\1\u0644', s)
hay = squash(open(sys.argv[1], encoding='utf-8', errors='replace').read())
for phrase in sys.argv[2:]:
    if squash(phrase) not in hay and squash(lam_swapped(phrase)) not in hay:
        print(phrase)
EOF
}
# text_has NAME PDF PHRASE...: one test: every phrase is in the PDF's text
text_has() {
    local name=$1 pdf=$2 missing
    shift 2
    missing=$(pdf_missing "$pdf" "$@" | sed "s/.*/'&'/" | tr '\n' ' ')
    check "$name" "missing: $missing" test -z "$missing"
}

# fonts_problems PDF SCRIPT-FONT: every font embedded, every font one of the bundled files
# (fonts/*.ttf: NotoSans*, FontAwesome), and SCRIPT-FONT (a family prefix) used.
# Prints what is wrong, with the list of fonts pdffonts shows.
fonts_problems() {
    local pdf=$1 want=$2 bundled
    bundled=$(find fonts -maxdepth 1 -name '*.ttf' -printf '%f\n' | sed 's/\.ttf$//' | tr '\n' ' ')
    pdffonts "$pdf" 2>&1 | awk -v bundled=" $bundled" -v want="$want" '
        NR > 2 {
            name = $1; sub(/^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/, "", name)
            all = all " " name
            if ($(NF - 4) != "yes") bad = bad " " name "(not embedded)"
            if (name !~ /NotoSans|FontAwesome/ || index(bundled, " " name " ") == 0)
                bad = bad " " name "(not bundled)"
            if (index(name, want) == 1) seen = 1
            n++
        }
        END {
            if (n == 0) print "pdffonts lists no fonts"
            else if (bad != "" || !seen)
                print (bad != "" ? "bad:" bad "; " : "") (seen ? "" : "no " want " font; ") "fonts:" all
        }'
}

# ---- 1. Hindi and Arabic reports render, with bundled fonts only ---------------------------
declare -A report script_font=([hi]=NotoSansDevanagari [ar]=NotoSansArabic [en]=NotoSans)
for lang in hi ar en; do
    report[$lang]=$tmp/ai-engineer-$lang.pdf
    run --career ai-engineer --lang "$lang" -o "${report[$lang]}"
    [ "$lang" = en ] && continue # the reference for the mirrored layout (test 7)
    if [ "$rc" -ne 0 ]; then
        not_ok "--lang $lang report renders" "exit $rc: $(first_err)"
        continue
    elif ! is_pdf "${report[$lang]}"; then
        not_ok "--lang $lang report renders" "no PDF written"
        continue
    fi
    qpdf --check "${report[$lang]}" >"$tmp/qpdf" 2>&1
    q=$?
    problems=$(fonts_problems "${report[$lang]}" "${script_font[$lang]}")
    if [ "$q" -ne 0 ]; then
        not_ok "--lang $lang report renders" "qpdf --check exit $q: $(grep -m2 -iE 'warn|error' "$tmp/qpdf")"
    elif [ -n "$problems" ]; then
        not_ok "--lang $lang report renders" "pdffonts: $problems"
    else
        ok "--lang $lang report renders (exit 0, qpdf --check, fonts embedded and bundled)"
    fi
done

# ---- 2. the translated careers' text --------------------------------------------------------
for lang in hi ar; do
    career=content/careers/ai-engineer.$lang.yaml
    strings=content/strings/$lang.yaml
    phrases=()
    phrases+=("$(top_value "$career" title)")
    for key in quick_answer education faq; do
        phrases+=("$(block_value "$strings" sections "$key")")
    done
    mapfile -t questions < <(list_items "$career" faq q)
    phrases+=("${questions[@]}")
    empty=0
    for p in "${phrases[@]}"; do [ -n "$p" ] || empty=$((empty + 1)); done
    if [ "${#questions[@]}" -lt 1 ] || [ "$empty" -gt 0 ]; then
        not_ok "--lang $lang: pdftotext finds the translated text" \
            "could not read the phrases from $career and $strings ($empty empty, ${#questions[@]} questions)"
    else
        text_has "--lang $lang: pdftotext finds the title, headings and FAQ questions of $career" \
            "${report[$lang]}" "${phrases[@]}"
    fi
done

# ---- 3. labels follow --lang without a translated career -----------------------------------
nurse_hi=$tmp/nurse-hi.pdf
run --career nurse --lang hi -o "$nurse_hi"
if [ "$rc" -ne 0 ] || ! is_pdf "$nurse_hi"; then
    not_ok "--career nurse --lang hi: Hindi headings around English prose" "exit $rc: $(first_err)"
else
    headings=()
    for key in quick_answer education faq verdict related; do
        headings+=("$(block_value content/strings/hi.yaml sections "$key")")
    done
    prose=("$(top_value content/careers/nurse.yaml title)")
    missing=$(pdf_missing "$nurse_hi" "${headings[@]}" "${prose[@]}" | tr '\n' ' ')
    english=""
    for key in quick_answer faq; do
        h=$(block_value content/strings/en.yaml sections "$key")
        [ -z "$(pdf_missing "$nurse_hi" "$h")" ] && english="$english '$h'"
    done
    if [ -n "$missing" ]; then
        not_ok "--career nurse --lang hi: Hindi headings around English prose" "missing: $missing"
    elif [ -n "$english" ]; then
        not_ok "--career nurse --lang hi: Hindi headings around English prose" \
            "English headings printed:$english"
    else
        ok "--career nurse --lang hi: Hindi headings around English prose"
    fi
fi

# ---- 4. a missing label is an error naming the key and the language ---------------------------
content=$tmp/content-label
cp -R content "$content"
awk '/^[^ #]/ { inside = ($0 ~ /^footer:/) } !(inside && /^  page:/)' content/strings/hi.yaml \
    >"$content/strings/hi.yaml"
mkdir -p "$tmp/label-out"
run --content "$content" --career ai-engineer --lang hi -o "$tmp/label-out/x.pdf"
name="a missing label (footer.page in hi.yaml) is an error naming the key and the language"
if cmp -s content/strings/hi.yaml "$content/strings/hi.yaml"; then
    not_ok "$name" "could not remove footer.page from the copy of strings/hi.yaml"
elif [ "$rc" -ne 2 ]; then
    not_ok "$name" "exit $rc, expected 2: $(first_err)"
elif ! grep -qE "footer\.page|footer:.*'page'" "$tmp/err"; then
    not_ok "$name" "message does not name footer.page: $(first_err)"
elif ! grep -qE "(^|[^a-z])hi([.:' )]|$)" "$tmp/err"; then
    not_ok "$name" "message does not name the language hi: $(first_err)"
elif [ -n "$(ls -A "$tmp/label-out")" ]; then
    not_ok "$name" "output written: $(ls -A "$tmp/label-out" | tr '\n' ' ')"
else
    ok "$name"
fi

# ---- 5. a glyph no bundled font has is an error naming the character and the field ----------------
# U+0F00 TIBETAN SYLLABLE OM: not in the bundled fonts, nor in the CJK and Symbola
# fallbacks that fonts/fallback.conf adds; a Tibetan font elsewhere on the machine must not
# be used either.
content=$tmp/content-glyph
cp -R content "$content"
sed -i 's/^title: .*/title: "How to Become an AI Engineer ༀ in 2026"/' "$content/careers/ai-engineer.yaml"
mkdir -p "$tmp/glyph-out"
run --content "$content" --career ai-engineer -o "$tmp/glyph-out/x.pdf"
name="a character no bundled font has (U+0F00 in title) is an error naming it and the field"
if ! grep -q 'ༀ' "$content/careers/ai-engineer.yaml"; then
    not_ok "$name" "could not put U+0F00 into the copy's title"
elif [ "$rc" -ne 2 ]; then
    not_ok "$name" "exit $rc, expected 2: $(first_err)"
elif ! grep -q 'U+0F00' "$tmp/err"; then
    not_ok "$name" "message does not name U+0F00: $(first_err)"
elif ! grep -qE '(^|[^a-z_])title([^a-z_]|$)' "$tmp/err"; then
    not_ok "$name" "message does not name the field title: $(first_err)"
elif [ -n "$(ls -A "$tmp/glyph-out")" ]; then
    not_ok "$name" "output written: $(ls -A "$tmp/glyph-out" | tr '\n' ' ')"
else
    ok "$name"
fi

# ---- 6. --check warns about fields a translation lacks ------------------------------------------
content=$tmp/content-check
cp -R content "$content"
without_block content/careers/ai-engineer.hi.yaml faq >"$content/careers/ai-engineer.hi.yaml"
run --check "$content/"
name="--check: a translation without faq exits 0 and warns once, naming faq and hi"
warnings=$(grep -c 'warning' "$tmp/err")
if grep -q '^faq:' "$content/careers/ai-engineer.hi.yaml"; then
    not_ok "$name" "could not remove faq from the copy of ai-engineer.hi.yaml"
elif [ "$rc" -ne 0 ]; then
    not_ok "$name" "exit $rc, expected 0: $(first_err)"
elif ! grep 'warning' "$tmp/err" | grep -q 'faq'; then
    not_ok "$name" "no warning naming faq: $(first_err)"
elif ! grep 'warning' "$tmp/err" | grep 'faq' | grep -qE "(^|[^a-z])hi([.:' )]|$)"; then
    not_ok "$name" "the warning does not name hi: $(grep -m1 warning "$tmp/err")"
elif [ "$warnings" -ne 1 ]; then
    not_ok "$name" "$warnings warnings, expected 1: $(grep warning "$tmp/err" | head -n 3 | tr '\n' ' ')"
else
    ok "$name"
fi
# (That the shipped translations give no warning is checked by run.sh's --check content/.)

# ---- 7. Arabic is mirrored -------------------------------------------------------------------
# bbox_x PDF PAGE WORD footer: the centres (x / page width, 3 decimals) of the words equal
# to WORD in the bottom tenth of PAGE.
# bbox_x PDF PAGE REGEX: the centres of the words matching REGEX (Python) in the top 40 %
# of PAGE.
bbox_x() {
    pdftotext -f "$2" -l "$2" -bbox "$1" "$tmp/bbox.html" 2>/dev/null || return 1
    python3 - "$tmp/bbox.html" "$3" "${4:-}" <<'EOF'
import re, sys, html
text = open(sys.argv[1], encoding='utf-8', errors='replace').read()
page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', text)
w, h = float(page.group(1)), float(page.group(2))
for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', text):
    x0, y0, x1, word = float(m.group(1)), float(m.group(2)), float(m.group(3)), html.unescape(m.group(4))
    if sys.argv[3] == 'footer':  # the word itself, in the bottom tenth
        if word != sys.argv[2] or y0 < 0.9 * h:
            continue
    elif not re.search(sys.argv[2], word) or y0 > 0.4 * h:  # a pattern, in the top 40 %
        continue
    print('%.3f' % ((x0 + x1) / 2 / w))
EOF
}
# side XS: "left" when every centre is on the left half, "right" when all are on the right
side() { awk '{ if ($1 < 0.5) l++; else r++ } END { print (l && !r) ? "left" : (r && !l) ? "right" : "none" }'; }
if is_pdf "${report[ar]}" && is_pdf "${report[en]}"; then
    ar_pages=$(pages_of "${report[ar]}")
    en_pages=$(pages_of "${report[en]}")
    ar_x=$( (bbox_x "${report[ar]}" 2 2 footer; bbox_x "${report[ar]}" 2 "$ar_pages" footer) | tr '\n' ' ')
    en_x=$( (bbox_x "${report[en]}" 2 2 footer; bbox_x "${report[en]}" 2 "$en_pages" footer) | tr '\n' ' ')
    check "rtl: footer page number on the left half in Arabic, the right half in English" \
        "page 2 footer word centres (x/width) for '2' and '$ar_pages': Arabic [$ar_x], English [$en_x]" \
        test "$(echo "$ar_x" | tr ' ' '\n' | grep . | side)" = left \
        -a "$(echo "$en_x" | tr ' ' '\n' | grep . | side)" = right
    # The salary card shows the lowest salary, 95,000: "$95K" in English, "95 ألف دولار"
    # in Arabic (or native digits), so look for a word holding the number 95 (not 9.5).
    salary='(^|[^0-9.])(95|٩٥|९५)([^0-9.]|$)'
    ar_x=$(bbox_x "${report[ar]}" 1 "$salary" | tr '\n' ' ')
    en_x=$(bbox_x "${report[en]}" 1 "$salary" | tr '\n' ' ')
    check "rtl: salary stat card (95K) on the right in Arabic, on the left in English" \
        "centres (x/width) of the words holding 95 on page 1: Arabic [$ar_x], English [$en_x]" \
        test "$(echo "$ar_x" | tr ' ' '\n' | grep . | side)" = right \
        -a "$(echo "$en_x" | tr ' ' '\n' | grep . | side)" = left
    hi_x=$(bbox_x "${report[hi]}" 1 "$salary" | tr '\n' ' ')
    check "ltr: salary stat card (95K) on the left in Hindi" \
        "centres (x/width) of the words holding 95 on page 1: [$hi_x]" \
        test "$(echo "$hi_x" | tr ' ' '\n' | grep . | side)" = left
else
    not_ok "rtl: Arabic layout is mirrored" "no Arabic or English report to compare"
fi

# ---- 8. the handbook ----------------------------------------------------------------------------
book=$tmp/book.pdf
run --all --merge "$book"
if [ "$rc" -ne 0 ] || ! is_pdf "$book"; then
    not_ok "--all --merge: handbook renders" "exit $rc: $(first_err)"
else
    ok "--all --merge: handbook renders (exit 0)"
    qpdf --check "$book" >"$tmp/qpdf" 2>&1
    q=$?
    check "handbook: qpdf --check passes" "qpdf exit $q: $(grep -m2 -iE 'warn|error' "$tmp/qpdf")" \
        test "$q" -eq 0
    npages=$(pages_of "$book")

    # Careers (id TAB title) from --list; chapter openings from the named destinations.
    "$CAREERPDF" --list >"$tmp/list" 2>/dev/null
    pdfinfo -dests "$book" 2>/dev/null | awk 'NR > 1 && NF > 1 {
            name = $0; sub(/^[^"]*"/, "", name); sub(/"[^"]*$/, "", name); print $1 "\t" name }' \
        >"$tmp/dests"
    # dest_page NAME: the page of the named destination NAME
    dest_page() { awk -F '\t' -v n="$1" '$2 == n { print $1; exit }' "$tmp/dests"; }

    # The contents page: the page whose first line is the contents label.
    contents_label=$(block_value content/strings/en.yaml cover contents)
    index_label=$(block_value content/strings/en.yaml handbook index)
    # The book's text read once; page_text N: page N of it (pages end with form feeds).
    pdftotext "$book" "$tmp/book.txt" 2>/dev/null || : >"$tmp/book.txt"
    page_text() { awk -v n="$1" 'BEGIN { RS = "\f" } NR == n { print; exit }' "$tmp/book.txt"; }
    contents_page=""
    for p in $(seq 1 "${npages:-0}"); do
        first=$(page_text "$p" | grep -m1 -v '^[[:space:]]*$')
        if [ "$first" = "$contents_label" ]; then contents_page=$p; break; fi
    done
    if [ -z "$contents_page" ]; then
        not_ok "handbook: contents page numbers are the pages where chapters start" \
            "no page starts with '$contents_label'"
    else
        # "Title    N" lines of the contents page, as "N<TAB>Title"
        pdftotext -layout -f "$contents_page" -l "$contents_page" "$book" - 2>/dev/null |
            sed -n 's/^ *\(.*[^ ]\)   *\([0-9][0-9]*\) *$/\2\t\1/p' >"$tmp/contents"
        wrong=""
        while IFS=$'\t' read -r id title; do
            n=$(awk -F '\t' -v t="$title" '$2 == t { print $1; exit }' "$tmp/contents")
            top=$(dest_page "$id/top")
            if [ -z "$n" ]; then
                wrong="$wrong; '$title' not in the contents"
                continue
            fi
            # the chapter opening: the title among the first lines of page n
            opening=$(page_text "$n" | grep -v '^[[:space:]]*$' |
                head -n 4 | tr -s '[:space:]' ' ')
            case $opening in
                *"$title"*) ;;
                *) wrong="$wrong; '$title' listed on p. $n, which opens with '$(echo "$opening" | cut -c1-60)'" ;;
            esac
            [ "$top" = "$n" ] || wrong="$wrong; '$title' listed on p. $n, $id/top is on p. ${top:-none}"
        done <"$tmp/list"
        ncareers=$(wc -l <"$tmp/list")
        nentries=$(wc -l <"$tmp/contents")
        [ "$nentries" -eq "$ncareers" ] || wrong="$wrong; $nentries contents entries for $ncareers careers"
        check "handbook: contents page numbers are the pages where chapters start" \
            "${wrong#; }" test -z "$wrong" -a "$ncareers" -gt 0

        even=""
        while IFS=$'\t' read -r id title; do
            top=$(dest_page "$id/top")
            [ -n "$top" ] && [ $((top % 2)) -eq 1 ] || even="$even $id(p. ${top:-none})"
        done <"$tmp/list"
        check "handbook: every chapter starts on an odd (right-hand) page" "$even" test -z "$even"
    fi

    # Link annotations: every destination (named, or a page) exists.
    qpdf --json "$book" >"$tmp/book.json" 2>/dev/null
    links=$(python3 - "$tmp/book.json" "$tmp/dests" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
names = {line.rstrip('\n').split('\t', 1)[1] for line in open(sys.argv[2]) if '\t' in line}
objects = doc['qpdf'][1]
pages = {p['object'] for p in doc['pages']}
def text(s):  # qpdf JSON v2 strings: "u:text", "b:hex"; names "/Name"
    if isinstance(s, str):
        if s.startswith('u:'):
            return s[2:]
        if s.startswith('b:'):
            return bytes.fromhex(s[2:]).decode('latin-1')
        if s.startswith('/'):
            return s[1:]
    return s
internal, bad = 0, []
for key, obj in objects.items():
    value = obj.get('value') if isinstance(obj, dict) else None
    if not isinstance(value, dict) or value.get('/Subtype') != '/Link':
        continue
    dest = value.get('/Dest')
    action = value.get('/A')
    if isinstance(action, str) and action in objects:
        action = objects[action].get('value')
    if dest is None and isinstance(action, dict):
        if action.get('/S') != '/GoTo':
            continue  # a web address
        dest = action.get('/D')
    if isinstance(dest, str) and dest.endswith(' R') and dest.replace(' ', '').replace('R', '').isdigit():
        dest = objects.get('obj:' + dest, {}).get('value', dest)
    internal += 1
    if isinstance(dest, list):
        if not dest or dest[0] not in pages:
            bad.append('%s -> page %s' % (key, dest[:1]))
    elif text(dest) not in names:
        bad.append('%s -> %r' % (key, text(dest)))
print(internal, '; '.join(bad[:5]) + (' (and %d more)' % (len(bad) - 5) if len(bad) > 5 else ''))
EOF
    )
    ninternal=${links%% *}
    badlinks=${links#* }
    check "handbook: every internal link's destination exists (pdfinfo -dests)" \
        "${ninternal:-0} internal links; unresolved: ${badlinks:-?}" \
        test "${ninternal:-0}" -ge "$(wc -l <"$tmp/list")" -a -z "$badlinks"

    # The outline: Contents, one entry per career (sections nested below it), Index.
    qpdf --json --json-key=outlines "$book" >"$tmp/outlines.json" 2>/dev/null
    outline=$(python3 - "$tmp/outlines.json" "$tmp/list" "$tmp/dests" "$contents_label" "$index_label" <<'EOF'
import json, sys
outlines = json.load(open(sys.argv[1]))['outlines']
careers = [line.rstrip('\n').split('\t', 1) for line in open(sys.argv[2]) if '\t' in line]
dests = dict(reversed(line.rstrip('\n').split('\t', 1)) for line in open(sys.argv[3]) if '\t' in line)
contents, index = sys.argv[4], sys.argv[5]
top = [e['title'] for e in outlines]
want = [contents] + [title for _, title in careers] + [index]
problems = []
if sorted(top) != sorted(want):
    problems.append('top level %r, expected %r' % (top, want))
by_title = {e['title']: e for e in outlines}
for cid, title in careers:
    e = by_title.get(title)
    if e is None:
        continue
    kids = e.get('kids', [])
    if len(kids) < 5:
        problems.append('%s has %d sections below it' % (cid, len(kids)))
    page = e.get('destpageposfrom1')
    if str(page) != dests.get(cid + '/top'):
        problems.append('%s goes to page %s, its chapter starts on %s' % (cid, page, dests.get(cid + '/top')))
    for k in kids:
        if k.get('destpageposfrom1') is None:
            problems.append('%s > %r goes nowhere' % (cid, k['title']))
print('; '.join(problems)[:400])
EOF
    )
    check "handbook: outline has Contents, one entry per career with its sections nested, Index" \
        "$outline" test -z "$outline"

    # The index of skills on the last page(s); its page references are the pages of the
    # careers' skills sections.
    pdftotext -f $((npages > 2 ? npages - 1 : 1)) -l "$npages" "$book" - 2>/dev/null |
        tr -d '\f' >"$tmp/tail.txt"
    check "handbook: the last pages hold the '$index_label'" "not on pages $((npages - 1))-$npages" \
        grep -qxF -- "$index_label" "$tmp/tail.txt"
    index_page=$(pdftotext -layout "$book" - 2>/dev/null | awk -v t="$index_label" '
        /\f/ { page += gsub(/\f/, "") } $0 == t && !found { print page + 1; found = 1 }')
    wrong=""
    nrefs=0
    if [ -n "$index_page" ]; then
        pdftotext -layout -f "$index_page" -l "$npages" "$book" - 2>/dev/null >"$tmp/index.txt"
        while IFS=$'\t' read -r id title; do
            role=$(top_value "content/careers/$id.yaml" role)
            want=$(dest_page "$id/sec-skills")
            got=$(grep -F -- "— $role " "$tmp/index.txt" |
                sed -n 's/.*[^0-9]\([0-9][0-9]*\) *$/\1/p' | sort -u | tr '\n' ' ')
            nrefs=$((nrefs + $(grep -cF -- "— $role " "$tmp/index.txt")))
            [ "$got" = "$want " ] || wrong="$wrong; $role: p. ${got:-none}, skills section on p. ${want:-none}"
        done <"$tmp/list"
    fi
    check "handbook: index page references are the pages of each career's skills" \
        "index on p. ${index_page:-none}, $nrefs references${wrong}" \
        test -n "$index_page" -a "$nrefs" -gt 0 -a -z "$wrong"
fi

# The contents block's page numbers in another script (longer labels move pages).
for lang in hi ar; do
    "$CAREERPDF" --career ai-engineer --lang "$lang" -o "$tmp/contents-$lang.pdf" 2>/dev/null
    why=$(python3 tests/cli/contents_pages.py "$tmp/contents-$lang.pdf" 2>&1)
    if [ $? -eq 0 ]; then
        ok "contents page numbers match the section pages ($lang)"
    else
        not_ok "contents page numbers match the section pages ($lang)" "$(head -n 3 <<<"$why")"
    fi
done

# "Prepared for NAME · GRADE · SCHOOL" with an Arabic name and school keeps its fields in
# the order written: on an English line the name stands left of the school, on an
# Arabic line right of it (word boxes from pdftotext -bbox).
printf 'name,career,grade,school,lang\nمحمد الأحمد,ai-engineer,11,مدرسة النور,en\nمحمد الأحمد,ai-engineer,11,مدرسة النور,ar\n' \
    >"$tmp/rtl-fields.csv"
run --roster "$tmp/rtl-fields.csv" --out-dir "$tmp/rtl-fields" --name-pattern '{row}' -q -j 1
expect_rc "roster with Arabic fields: written" 0
# The x of the first word with a ح (only in the name) and of the first with a ن (only
# in the school) on the line that holds the grade "11" (pdftotext -bbox).
letter_x() {
    pdftotext -f 1 -l 1 -bbox "$1" - | awk -v want="$2" '
        { x = $0; sub(/.*xMin="/, "", x); sub(/".*/, "", x); y = $0; sub(/.*yMin="/, "", y)
          sub(/".*/, "", y); w = $0; sub(/.*">/, "", w); sub(/<.*/, "", w)
          xs[NR] = x; ys[NR] = y; ws[NR] = w; if (w == "11" && line == "") line = y }
        END { for (i = 1; i <= NR; i++)
                  if (index(ws[i], want) && ys[i] - line < 5 && line - ys[i] < 5) { print xs[i]; exit } }'
}
for row in 1 2; do
    f="$tmp/rtl-fields/$row.pdf"
    name_x=$(letter_x "$f" "ح") school_x=$(letter_x "$f" "ن")
    if [ "$row" = 1 ]; then want="name left of school"; cmp_op='<'; else want="name right of school"; cmp_op='>'; fi
    check "Prepared for with Arabic fields, row $row: $want" \
        "name at x=$name_x, school at x=$school_x" \
        awk -v a="$name_x" -v b="$school_x" -v op="$cmp_op" \
        'BEGIN { exit !(a != "" && b != "" && (op == "<" ? a + 0 < b + 0 : a + 0 > b + 0)) }'
done

finish i18n
