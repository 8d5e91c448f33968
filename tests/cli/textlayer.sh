#!/usr/bin/env bash
# tests/cli/textlayer.sh - the text layer of our PDFs: every glyph reads as its own
# characters (no U+FFFD, no marked-content ActualText needed, Arabic ligatures and
# Devanagari matras in reading order) and runs of another script carry their language.
# Read back with independent readers: qpdf's JSON (tests/cli/text_layer.py: ToUnicode
# maps, content streams, marked-content /Lang, the structure tree), poppler (pdftotext)
# and pdf.js (Debian's libjs-pdf under node), which ignores ActualText.
. "$(dirname "$0")/lib.sh" textlayer

facts() { python3 "$here/text_layer.py" facts "$1" >"$tmp/facts" 2>"$tmp/facts.err"; }
fact() { sed -n "s/^$1=//p" "$tmp/facts"; }
expect_fact() {
    local got
    got=$(fact "$2")
    if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1" "$2 is '$got', expected '$3'"; fi
}
# The text pdf.js (Firefox's engine) gives: FILE JOINED ELEMENTS. JOINED: the page's
# text items run together, as the viewer's copy and find see them; ELEMENTS: the same
# with a line break between marked-content sequences, as a screen reader reads them
# through the viewer's structure tree (one element after another).
PDFJS=/usr/share/javascript/pdf/build/pdf.js
pdfjs_text() {
    node -e '
const pdfjs = require(process.argv[1]);
const fs = require("fs");
const data = new Uint8Array(fs.readFileSync(process.argv[2]));
(async () => {
  const doc = await pdfjs.getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  let joined = "", elements = "";
  for (let i = 1; i <= doc.numPages; i++) {
    const tc = await (await doc.getPage(i)).getTextContent({ includeMarkedContent: true });
    for (const it of tc.items) {
      if (it.type) {
        elements += "\n";
        continue;
      }
      const s = it.str + (it.hasEOL ? "\n" : "");
      joined += s;
      elements += s;
    }
    joined += "\n";
    elements += "\n";
  }
  fs.writeFileSync(process.argv[3], joined);
  fs.writeFileSync(process.argv[4], elements);
})().catch((e) => { console.error(String(e)); process.exit(1); });' "$PDFJS" "$@"
}
# missing NAME SCRIPT TEXT: the career's words in SCRIPT that TEXT does not hold (the
# report shows the frameworks' names, not their descriptions, and no next-step button)
missing() {
    python3 "$here/text_layer.py" words "content/careers/$1.yaml" "$2" \
        --skip=frameworks.text --skip=next_step.action "$3"
}

for lang in hi ar; do
    script=$([ "$lang" = hi ] && echo deva || echo arab)
    pdf=$tmp/report-$lang.pdf
    run --career "content/careers/ai-engineer.$lang.yaml" -o "$pdf"
    expect_rc "report $lang: written" 0
    facts "$pdf"
    expect_fact "report $lang: no ToUnicode entry maps to U+FFFD" tounicode_fffd 0
    expect_fact "report $lang: no text needs marked-content ActualText" actualtext_spans 0
    # Runs of another script inside an element carry a marked-content /Lang of their
    # own (a piece of the element with its own MCID), and only letters of that script.
    expect_fact "report $lang: every letter of another script has its /Lang" \
        foreign_unmarked 0
    spans=$(fact lang_spans)
    check "report $lang: Latin runs are marked English ($spans runs)" "no /Lang runs" \
        test "${spans:-0}" -gt 0 -a "$(fact lang:en)" = "$(fact foreign_letters)"
    expect_fact "report $lang: a /Lang run holds its own script only" lang_spans_mixed 0
    expect_fact "report $lang: every marked-content id belongs to an element" mcid_orphans 0
    pdftotext "$pdf" "$tmp/poppler-$lang.txt"
    pdfjs_text "$pdf" "$tmp/pdfjs-$lang.txt" "$tmp/pdfjs-el-$lang.txt" 2>"$tmp/pdfjs.err"
    check "report $lang: pdf.js reads it" "$(head -c 300 "$tmp/pdfjs.err")" \
        test -s "$tmp/pdfjs-$lang.txt"
    for reader in poppler pdfjs; do
        bad=$(python3 -c 'import re, sys
print(len(re.findall("[\ufffd\ue000-\uf8ff]", open(sys.argv[1], encoding="utf-8").read())))' \
            "$tmp/$reader-$lang.txt")
        check "report $lang: $reader reads no U+FFFD or private-use characters ($bad)" \
            "$bad found" test "$bad" -eq 0
    done
    missing ai-engineer.$lang $script "$tmp/poppler-$lang.txt" >"$tmp/missing-$lang"
    missing ai-engineer.$lang $script "$tmp/pdfjs-$lang.txt" >"$tmp/missing-pdfjs-$lang"
    missing ai-engineer.$lang $script "$tmp/pdfjs-el-$lang.txt" >"$tmp/missing-pdfjs-el-$lang"
done

# How many of the career's words each reader still misses, exactly: a change either
# way shows here (then update these counts, and README's "Text layer" under Design).
expect_missing() {   # NAME FILE COUNT
    local n
    n=$(wc -l <"$2")
    check "$1 (missing: $n, expected $3)" "$(head -5 "$2" | tr '\n' ' ')" test "$n" -eq "$3"
}
expect_missing "report hi: pdftotext finds the career's words" "$tmp/missing-hi" 0
expect_missing "report ar: pdftotext finds the career's words" "$tmp/missing-ar" 0
# pdf.js reads right-to-left runs in the visual order the finisher writes them in, the
# cells, chips and labels of a right-to-left row written left to right too (below), a
# word that ends in a vowel mark after a space whole (below), and the Devanagari words
# that begin with a half form or a nukta form whole.
expect_missing "report hi: pdf.js finds the career's words" "$tmp/missing-pdfjs-hi" 0
expect_missing "report ar: pdf.js finds the career's words" "$tmp/missing-pdfjs-ar" 0
# Element by element, what a screen reader gets through the viewer's structure tree.
expect_missing "report hi: pdf.js finds the career's words, element by element" \
    "$tmp/missing-pdfjs-el-hi" 0
expect_missing "report ar: pdf.js finds the career's words, element by element" \
    "$tmp/missing-pdfjs-el-ar" 0

# Vowel marks drawn by the shaper away from the pen (a matra or reph beside its letter,
# a shadda above the line) are drawn where their letter is, as the mark's glyph moved
# by that offset: both readers find the words whole. Devanagari words whose marks end a
# cluster ("ट्रे निंग"), two marks between letters ("ढू ँढ"); Arabic words with a
# shadda or a tanween, in the middle of a word and at its end, and a tanween between
# lam and alef, which the font draws over the alef with the lam as a raised part. (A
# word with two marks on one letter is compared in canonical order, by the counts
# above: HarfBuzz draws the shadda first.)
for w in ट्रेनिंग पोर्टफ़ोलियो ढूँढ निर्देशों क्वांटिटेटिव; do
    check "report hi: pdftotext reads '$w' whole" "not in pdftotext's text" \
        grep -q "$w" "$tmp/poppler-hi.txt"
    check "report hi: pdf.js reads '$w' whole" "not in pdf.js's text" \
        grep -q "$w" "$tmp/pdfjs-hi.txt"
done
for w in يصمّم المرشّح ويحوّلونها تنفّذها يوظّف أيضًا مجانيًا أولًا بدلًا; do
    check "report ar: pdftotext reads '$w' whole" "not in pdftotext's text" \
        grep -q "$w" "$tmp/poppler-ar.txt"
    check "report ar: pdf.js reads '$w' whole" "not in pdf.js's text" \
        grep -q "$w" "$tmp/pdfjs-ar.txt"
done
# A word that ends in a vowel mark and follows a space: in visual order the mark comes
# first, right after the space, and pdf.js, which does not advance over a mark, found
# the gap again at the letter after it ("ابن ِ"). The mark advances by the space's width
# and an offset moves the pen back (widened_mark in pdf_text_rtl.c).
for w in ابنِ أعمّ النماذجَ; do
    check "report ar: pdftotext reads '$w' whole" "not in pdftotext's text" \
        grep -q "$w" "$tmp/poppler-ar.txt"
    check "report ar: pdf.js reads '$w' whole" "not in pdf.js's text" \
        grep -q "$w" "$tmp/pdfjs-ar.txt"
done

# Devanagari: i-matra (drawn before its consonant), reph (drawn after), nukta: each
# reads in order
for w in इंजीनियर सिस्टम लर्निंग डिज़ाइन विशेषज्ञ; do
    check "report hi: pdf.js reads '$w' whole" "not in pdf.js's text" \
        grep -q "$w" "$tmp/pdfjs-hi.txt"
    check "report hi: pdftotext reads '$w' whole" "not in pdftotext's text" \
        grep -q "$w" "$tmp/poppler-hi.txt"
done

# Arabic: the lam-alef ligatures read in order ("على", not "عىل"; "الأمثلة", not
# "األمثلة").
for w in على الأمثلة الاصطناعي; do
    check "report ar: pdftotext reads '$w'" "not in pdftotext's text" \
        grep -q "$w" "$tmp/poppler-ar.txt"
    check "report ar: pdf.js reads '$w'" "not in pdf.js's text" \
        grep -q "$w" "$tmp/pdfjs-ar.txt"
done
# Devanagari words that begin with a glyph reading a nonspacing mark (a half form, a
# conjunct, a nukta form), which pdf.js does not advance over
for w in क्या प्रोडक्ट्स ज़रूरी फ़्रेमवर्क; do
    check "report hi: pdf.js reads '$w' whole" "not in pdf.js's text" \
        grep -q "$w" "$tmp/pdfjs-hi.txt"
done
# A vowel mark drawn over its letter, right of where the glyph before it ends: pdf.js
# read the gap as a space ("الكمّ ية") until that glyph's advance reached the mark
check "report ar: pdf.js reads 'الكمّية' (a word with a vowel mark) whole" \
    "not in pdf.js's text" grep -q "الكمّية" "$tmp/pdfjs-ar.txt"
# A right-to-left run is written in visual order (pdf.js builds one text item of it,
# not one per glyph): a sentence's words come back with the spaces between them.
check "report ar: pdf.js reads a sentence with its spaces" "not in pdf.js's text" \
    grep -q "تطوير قواعد البيانات" "$tmp/pdfjs-ar.txt"

# ---- letter-spaced labels read as words -----------------------------------------------
# The stat cards' labels are spaced out (tracking); past a tenth of the size between
# letters, both readers read each letter as a word of its own ("D I F F I C U LT Y").
run --career ai-engineer -o "$tmp/report-en.pdf"
pdfjs_text "$tmp/report-en.pdf" "$tmp/pdfjs-en.txt" "$tmp/pdfjs-el-en.txt" 2>/dev/null
pdftotext "$tmp/report-en.pdf" "$tmp/poppler-en.txt"
for w in CAREERSTEPS DIFFICULTY "FUTURE SCOPE"; do
    check "report en: pdf.js reads the label '$w' whole" "not in pdf.js's text" \
        grep -q "$w" "$tmp/pdfjs-en.txt"
    check "report en: pdftotext reads the label '$w' whole" "not in pdftotext's text" \
        grep -q "$w" "$tmp/poppler-en.txt"
done

# ---- page furniture with text of another script ---------------------------------------
# The nurse report repeats a table's header row on a later page: furniture, whose
# marked content becomes an /Artifact sequence. Its Latin words in a Hindi report are
# not split off into language pieces: pieces of an artifact would have ids of no element
# (content neither tagged nor artifact).
run --career nurse --lang hi -o "$tmp/nurse-hi.pdf"
expect_rc "nurse hi: written" 0
facts "$tmp/nurse-hi.pdf"
expect_fact "nurse hi: every marked-content id belongs to an element" mcid_orphans 0
expect_fact "nurse hi: every letter of another script has its /Lang" foreign_unmarked 0

# ---- a roster report: the student's own text (drawn into the template's elements) ---
# (names and notes with marks the text layer moves: a shadda, a tanween, a matra that
# ends a cluster; a note written with all its vowel marks, where words end in one or two
# after a space)
printf 'name,career,grade,school,counselor,note\nअनन्या अय्यर,ai-engineer,11,Westview High,Ms. Rivera,गणित में रुचि और ट्रेनिंग\nمحمّد علي,ai-engineer,11,Westview High,Mr. Okafor,يحب الروبوتات كثيرًا\nسارة حسن,ai-engineer,12,Westview High,Mr. Okafor,يُحِبُّ الرِّيَاضِيَّاتِ وَيَبْنِي نَمَاذِجَ كَثِيرًا\n' \
    >"$tmp/r.csv"
run --roster "$tmp/r.csv" --out-dir "$tmp/roster" -j 1 -q
expect_rc "roster: written" 0
for f in "$tmp"/roster/*.pdf; do
    name=$(basename "$f" .pdf)
    facts "$f"
    expect_fact "roster $name: no ToUnicode entry maps to U+FFFD" tounicode_fffd 0
    expect_fact "roster $name: no text needs marked-content ActualText" actualtext_spans 0
done
student="$tmp/roster/अनन्या_अय्यर-ai-engineer.pdf"
pdfjs_text "$student" "$tmp/pdfjs-student.txt" "$tmp/pdfjs-el-student.txt" 2>/dev/null
check "roster: pdf.js reads the Devanagari name and note" "not in pdf.js's text" \
    sh -c "grep -q 'अनन्या अय्यर' '$tmp/pdfjs-student.txt' &&
           grep -q 'गणित में रुचि और ट्रेनिंग' '$tmp/pdfjs-student.txt'"
check "roster: pdftotext reads the Devanagari note" "not in pdftotext's text" \
    sh -c "pdftotext '$student' - | grep -q 'गणित में रुचि और ट्रेनिंग'"
arab="$tmp/roster/محمّد_علي-ai-engineer.pdf"
pdfjs_text "$arab" "$tmp/pdfjs-arab.txt" "$tmp/pdfjs-el-arab.txt" 2>/dev/null
for reader in pdftotext pdf.js; do
    if [ $reader = pdftotext ]; then pdftotext "$arab" "$tmp/arab.txt"; else
        cp "$tmp/pdfjs-arab.txt" "$tmp/arab.txt"; fi
    check "roster: $reader reads the Arabic name and note" "not in $reader's text" \
        sh -c "grep -q 'محمّد علي' '$tmp/arab.txt' && grep -q 'يحب الروبوتات كثيرًا' '$tmp/arab.txt'"
done
# Words compared in canonical order (NFC: HarfBuzz draws a shadda before the vowel on
# the same letter, which the text layer keeps), without the bidi controls pdftotext
# puts around a right-to-left run.
voweled="$tmp/roster/سارة_حسن-ai-engineer.pdf"
pdftotext "$voweled" "$tmp/voweled-poppler.txt"
pdfjs_text "$voweled" "$tmp/voweled-pdfjs.txt" "$tmp/voweled-pdfjs-el.txt" 2>/dev/null
for reader in poppler pdfjs; do
    miss=$(python3 -c 'import sys, unicodedata as u
n = lambda s: "".join(c for c in u.normalize("NFC", s) if u.category(c) != "Cf")
words = set(n(open(sys.argv[1], encoding="utf-8").read()).split())
print(" ".join(w for w in sys.argv[2:] if n(w) not in words))' "$tmp/voweled-$reader.txt" \
        يُحِبُّ الرِّيَاضِيَّاتِ وَيَبْنِي نَمَاذِجَ كَثِيرًا)
    check "roster: $reader reads every word of a note with all its vowel marks" \
        "missing: $miss" test -z "$miss"
done
# The student's runs carry their language as in the same report laid out whole (the
# test build's CAREERPDF_WHOLE=1): the Devanagari name and note in an English report
# are marked Hindi, a Latin name, school and counselor in a Hindi report English. They
# are the page's own content, where readers look for marked content.
printf 'name,career,grade,school,counselor,note,lang\nBen Li,ai-engineer,11,Westview High,Ms. Rivera,रोबोटिक्स में रुचि,hi\n' \
    >"$tmp/r2.csv"
run --roster "$tmp/r2.csv" --out-dir "$tmp/roster2" -j 1 -q
expect_rc "roster hi: written" 0
for dir in roster roster2; do
    CAREERPDF_WHOLE=1 "$CAREERPDF_TESTING" --roster "$tmp/r${dir#roster}.csv" \
        --out-dir "$tmp/whole-$dir" -j 1 -q
done
# lang_letters FILE: the letters under each /Lang, and those of another script
lang_letters() {
    facts "$1"
    grep -E '^(lang:|foreign_)' "$tmp/facts" | tr '\n' ' '
}
for pair in "roster/अनन्या_अय्यर-ai-engineer.pdf hi" "roster2/Ben_Li-ai-engineer.pdf en"; do
    f=${pair% *}
    lang=${pair##* }
    got=$(lang_letters "$tmp/$f")
    want=$(lang_letters "$tmp/whole-$f")
    check "$f: the student's runs are marked $lang as in the report laid out whole" \
        "assembled: $got; whole: $want" \
        sh -c "test '$got' = '$want' && echo '$got' | grep -q 'lang:$lang=[1-9]' &&
               echo '$got' | grep -q 'foreign_unmarked=0'"
done

# ---- a protected report keeps it ---------------------------------------------------------
run --career content/careers/ai-engineer.hi.yaml --password pw -o "$tmp/protected.pdf"
expect_rc "protected: written" 0
qpdf --password=pw --decrypt "$tmp/protected.pdf" "$tmp/decrypted.pdf" 2>/dev/null
facts "$tmp/decrypted.pdf"
expect_fact "protected: no text needs marked-content ActualText" actualtext_spans 0
expect_fact "protected: every letter of another script has its /Lang" foreign_unmarked 0

# ---- a merged roster that mixes right-to-left and left-to-right reports ---------------
# The Arabic report mirrors the brackets of its Latin words: cairo draws "(" with the
# glyph of ")" and maps that glyph's code to ")" for the whole file; the English and
# Hindi reports after it draw their "(" with the same code under an ActualText span. A
# span of a CID font gets codes of its own; one of a simple (8-bit) font, which takes no
# new codes, stays: the element's Latin runs are split around it, and pdf.js reads those
# brackets the wrong way round (the count below: a change either way shows here).
printf 'name,career,grade,school,counselor,note,lang\nأحمد علي,ai-engineer,11,Westview High,Mr. Okafor,يحب الروبوتات,ar\nअनन्या अय्यर,ai-engineer,11,Westview High,Ms. Rivera,गणित में रुचि,hi\nMaria Lopez,nurse,12,Westview High,Ms. Rivera,Likes robots,en\n' \
    >"$tmp/mixed.csv"
run --roster "$tmp/mixed.csv" --merge "$tmp/mixed.pdf" -j 1 -q
expect_rc "mixed merged roster: written" 0
facts "$tmp/mixed.pdf"
expect_fact "mixed merged roster: every letter of another script has its /Lang" \
    foreign_unmarked 0
expect_fact "mixed merged roster: a /Lang run holds its own script only" lang_spans_mixed 0
expect_fact "mixed merged roster: ActualText spans left (mirrored brackets, simple fonts)" \
    actualtext_spans 76

# ---- a tiled poster: the poster's form (drawn on every sheet) has the text layer too ----
tiled_langs=ar
full && tiled_langs="hi ar"
for lang in $tiled_langs; do
    run --career ai-engineer --lang $lang --layout poster --paper A2 --tile A4 \
        -o "$tmp/tiled-$lang.pdf"
    expect_rc "tiled poster $lang: written" 0
    facts "$tmp/tiled-$lang.pdf"
    expect_fact "tiled poster $lang: no ToUnicode entry maps to U+FFFD" tounicode_fffd 0
    expect_fact "tiled poster $lang: no text needs marked-content ActualText (forms too)" \
        actualtext_spans 0
    expect_fact "tiled poster $lang: every letter of another script has its /Lang" \
        foreign_unmarked 0
done

# ---- a right-to-left row written left to right -------------------------------------------
# A row's cells, chips and labels are laid out from the right and drawn in reading
# order, each left of the one before; pdf.js adds no space where the pen moves left, so
# it ran the last word of one cell into the next ("سنواتدولار": 25 words of the report).
# The finisher writes such rows left to right (pdf_text_rows.c). The test build can
# leave them as drawn: the pictures and poppler's text must be the same either way.
CAREERPDF_ROWS_AS_DRAWN=1 "$CAREERPDF_TESTING" --career content/careers/ai-engineer.ar.yaml \
    -o "$tmp/drawn-ar.pdf" 2>"$tmp/err"
check "report ar, rows as drawn: written" "$(first_err)" test -s "$tmp/drawn-ar.pdf"
rm -f "$tmp"/rw-*.ppm "$tmp"/rd-*.ppm
pdftoppm -r 40 "$tmp/report-ar.pdf" "$tmp/rw" && pdftoppm -r 40 "$tmp/drawn-ar.pdf" "$tmp/rd"
pages=$(pages_of "$tmp/report-ar.pdf")
differ=$(for p in "$tmp"/rw-*.ppm; do cmp -s "$p" "${p/rw-/rd-}" || echo "${p##*/}"; done)
check "report ar: rows written left to right, the same $pages pages" "differ: $differ" \
    test -n "$pages" -a -z "$differ" -a "$(ls "$tmp"/rd-*.ppm | wc -l)" = "$pages"
check "report ar: rows written left to right, the same text for pdftotext" "differs" \
    cmp -s <(pdftotext "$tmp/report-ar.pdf" -) <(pdftotext "$tmp/drawn-ar.pdf" -)
if full; then
    pdfjs_text "$tmp/drawn-ar.pdf" "$tmp/pdfjs-drawn.txt" "$tmp/pdfjs-drawn-el.txt" 2>/dev/null
    missing ai-engineer.ar arab "$tmp/pdfjs-drawn.txt" >"$tmp/missing-drawn"
    drawn=$(wc -l <"$tmp/missing-drawn")
    check "report ar: pdf.js misses fewer words with rows left to right ($drawn as drawn)" \
        "$drawn as drawn" test "$drawn" -gt "$(wc -l <"$tmp/missing-pdfjs-ar")"
fi
for w in سنوات السيبراني عمليات انتقل; do
    check "report ar: pdf.js reads '$w' apart from its row's next cell" "not a word" \
        grep -qE "(^|[[:space:]])$w([[:space:]]|$)" "$tmp/pdfjs-ar.txt"
done

# ---- same pixels, same bytes -------------------------------------------------------------
run --career content/careers/ai-engineer.hi.yaml -o "$tmp/again.pdf"
check "report hi: the same bytes on every run" "differs" cmp -s "$tmp/again.pdf" \
    "$tmp/report-hi.pdf"
for lang in hi ar; do
    check "report $lang: qpdf --check passes" "$(qpdf --check "$tmp/report-$lang.pdf" 2>&1 | tail -1)" \
        qpdf --check "$tmp/report-$lang.pdf"
done

echo "textlayer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
