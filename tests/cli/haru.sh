#!/usr/bin/env bash
# tests/cli/haru.sh - the libharu writer (--backend haru) from the command line:
# encryption, permissions, attachments, refused scripts, and the same word positions as
# the cairo writer on the AI Engineer report.
#
#   CAREERPDF=./careerpdf tests/cli/haru.sh
#
# Each test prints "ok - NAME" or "not ok - NAME: WHY"; the last line is
# "haru: N passed, N failed" and the exit status is non-zero when a test failed.
# Needs qpdf, pdftotext, pdfinfo and pdffonts (poppler-utils) and python3.
. "$(dirname "$0")/lib.sh" haru

for tool in qpdf pdftotext pdfinfo pdffonts python3; do
    command -v "$tool" >/dev/null || { echo "not ok - setup: $tool is missing"; exit 1; }
done

PW=S3cret-42
career=content/careers/ai-engineer.yaml

# --- plain report --------------------------------------------------------------------
run --career ai-engineer --backend haru -o "$tmp/haru.pdf"
if [ "$rc" -eq 0 ] && [ "$(head -c 5 "$tmp/haru.pdf")" = "%PDF-" ]; then
    ok "haru renders the AI Engineer report"
else
    not_ok "haru renders the AI Engineer report" "exit $rc: $(first_err)"
fi
check "qpdf --check passes" "$(qpdf --check "$tmp/haru.pdf" 2>&1 | tail -n 2)" \
    qpdf --check "$tmp/haru.pdf"
run --career ai-engineer -o "$tmp/cairo.pdf"
if [ "$(pages_of "$tmp/haru.pdf")" = "$(pages_of "$tmp/cairo.pdf")" ] &&
   [ -n "$(pages_of "$tmp/cairo.pdf")" ]; then
    ok "same page count as cairo ($(pages_of "$tmp/cairo.pdf"))"
else
    not_ok "same page count as cairo" \
        "haru $(pages_of "$tmp/haru.pdf"), cairo $(pages_of "$tmp/cairo.pdf")"
fi

# Every font embedded (and subset), no warnings from poppler on the way.
fonts=$(pdffonts "$tmp/haru.pdf" 2>"$tmp/fonts.err" | awk 'NR > 2')
if [ -n "$fonts" ] && ! printf '%s\n' "$fonts" | awk '$(NF-4) != "yes" {bad=1} END {exit !bad}' &&
   [ ! -s "$tmp/fonts.err" ]; then
    ok "pdffonts: every font embedded ($(printf '%s\n' "$fonts" | wc -l) fonts)"
else
    not_ok "pdffonts: every font embedded" "$(printf '%s\n' "$fonts" | head -n 3) $(head -c 200 "$tmp/fonts.err")"
fi

title_of() { pdfinfo "$@" 2>/dev/null | sed -n 's/^Title: *//p'; }
if [ -n "$(title_of "$tmp/cairo.pdf")" ] &&
   [ "$(title_of "$tmp/haru.pdf")" = "$(title_of "$tmp/cairo.pdf")" ] &&
   [ "$(pdfinfo "$tmp/haru.pdf" | grep CreationDate)" = "$(pdfinfo "$tmp/cairo.pdf" | grep CreationDate)" ]; then
    ok "same title and dates as cairo"
else
    not_ok "same title and dates as cairo" "$(title_of "$tmp/haru.pdf")"
fi

# Named destinations and outline as in the cairo file.
if [ "$(pdfinfo -dests "$tmp/haru.pdf" 2>&1)" = "$(pdfinfo -dests "$tmp/cairo.pdf" 2>&1)" ] &&
   [ "$(pdfinfo -dests "$tmp/haru.pdf" | wc -l)" -gt 5 ]; then
    ok "same named destinations as cairo"
else
    not_ok "same named destinations as cairo" "$(pdfinfo -dests "$tmp/haru.pdf" 2>&1 | head -n 3)"
fi
outline() { qpdf --json --json-key=outlines "$1" | python3 -c '
import json, sys
def walk(items, depth):
    for e in items:
        print(depth, e["title"], e.get("destpageposfrom1"))
        walk(e["kids"], depth + 1)
walk(json.load(sys.stdin)["outlines"], 0)'; }
if [ "$(outline "$tmp/haru.pdf")" = "$(outline "$tmp/cairo.pdf")" ] &&
   [ "$(outline "$tmp/haru.pdf" | wc -l)" -gt 5 ]; then
    ok "same outline as cairo"
else
    not_ok "same outline as cairo" "$(outline "$tmp/haru.pdf" | head -n 2)"
fi

# --- word positions ------------------------------------------------------------------
# Every word of the cairo file is matched with the nearest same-text word on the same
# page of the haru file; all four box coordinates must agree within 0.5 pt.
pdftotext -bbox "$tmp/cairo.pdf" "$tmp/cairo.html" && pdftotext -bbox "$tmp/haru.pdf" "$tmp/haru.html"
deviation=$(python3 - "$tmp/cairo.html" "$tmp/haru.html" <<'EOF'
import re, sys
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
def pages(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if "<page " in line:
            out.append([])
        m = WORD.search(line)
        if m:
            out[-1].append((m.group(5), [float(m.group(i)) for i in range(1, 5)]))
    return out
a, b = pages(sys.argv[1]), pages(sys.argv[2])
if len(a) != len(b):
    sys.exit("page count %d vs %d" % (len(a), len(b)))
worst, words = 0.0, 0
for pa, pb in zip(a, b):
    if len(pa) != len(pb):
        sys.exit("word count %d vs %d" % (len(pa), len(pb)))
    pool = {}
    for text, box in pb:
        pool.setdefault(text, []).append(box)
    for text, box in pa:
        cands = pool.get(text)
        if not cands:
            sys.exit("word %r missing" % text)
        best = min(cands, key=lambda c: max(abs(x - y) for x, y in zip(box, c)))
        cands.remove(best)
        worst = max(worst, max(abs(x - y) for x, y in zip(box, best)))
        words += 1
print("%d %.4f" % (words, worst))
EOF
)
if [ $? -eq 0 ] && awk -v d="${deviation#* }" 'BEGIN {exit !(d < 0.5)}' && [ "${deviation% *}" -gt 1000 ]; then
    ok "word positions match cairo (${deviation% *} words, max deviation ${deviation#* } pt)"
else
    not_ok "word positions match cairo" "${deviation:-comparison failed}"
fi

# --- reproducibility -------------------------------------------------------------------
run --career ai-engineer --backend haru -o "$tmp/haru2.pdf"
check "unencrypted output is byte-reproducible" "two runs differ" \
    cmp "$tmp/haru.pdf" "$tmp/haru2.pdf"

# --- encryption --------------------------------------------------------------------------
run --career ai-engineer --backend haru --password "$PW" -o "$tmp/enc.pdf"
if [ "$rc" -eq 0 ]; then ok "--password writes an encrypted report"
else not_ok "--password writes an encrypted report" "exit $rc: $(first_err)"; fi
check "qpdf --check passes with the password" "qpdf reports errors" \
    qpdf --check --password="$PW" "$tmp/enc.pdf"

enc=$(qpdf --show-encryption --password="$PW" "$tmp/enc.pdf" 2>&1)
json=$(qpdf --json --json-key=encrypt --password="$PW" "$tmp/enc.pdf" 2>&1)
if printf '%s\n' "$enc" | grep -q '^R = 3$' &&
   printf '%s\n' "$json" | grep -q '"bits": 128' &&
   printf '%s\n' "$json" | grep -q '"method": "RC4"' &&
   printf '%s\n' "$json" | grep -q '"V": 2'; then
    ok "qpdf reports RC4 128-bit, revision 3"
else
    not_ok "qpdf reports RC4 128-bit, revision 3" "$(printf '%s' "$enc" | head -n 3 | tr '\n' ' ')"
fi
# default permissions: print only
if printf '%s\n' "$enc" | grep -q '^print low resolution: allowed' &&
   printf '%s\n' "$enc" | grep -q '^print high resolution: allowed' &&
   printf '%s\n' "$enc" | grep -q '^extract for any purpose: not allowed' &&
   printf '%s\n' "$enc" | grep -q '^modify anything: not allowed' &&
   printf '%s\n' "$enc" | grep -q '^modify annotations: not allowed'; then
    ok "default permissions: print only"
else
    not_ok "default permissions: print only" "$(printf '%s' "$enc" | grep -E 'print|extract|modify' | tr '\n' ' ')"
fi

run --career ai-engineer --backend haru --password "$PW" --permissions copy,annotate \
    -o "$tmp/perm.pdf"
perm=$(qpdf --show-encryption --password="$PW" "$tmp/perm.pdf" 2>&1)
if [ "$rc" -eq 0 ] &&
   printf '%s\n' "$perm" | grep -q '^extract for any purpose: allowed' &&
   printf '%s\n' "$perm" | grep -q '^modify annotations: allowed' &&
   printf '%s\n' "$perm" | grep -q '^print low resolution: not allowed' &&
   printf '%s\n' "$perm" | grep -q '^modify other: not allowed'; then
    ok "--permissions copy,annotate is what qpdf reports"
else
    not_ok "--permissions copy,annotate is what qpdf reports" "exit $rc: $(printf '%s' "$perm" | grep -E 'print|extract|modify' | tr '\n' ' ')"
fi

if pdftotext -upw "$PW" "$tmp/enc.pdf" - 2>/dev/null | grep -q "How to Become an AI Engineer"; then
    ok "pdftotext extracts the text with the password"
else
    not_ok "pdftotext extracts the text with the password" "no title in the text"
fi
if pdftotext "$tmp/enc.pdf" - >/dev/null 2>&1 || pdftotext -upw wrong "$tmp/enc.pdf" - >/dev/null 2>&1; then
    not_ok "pdftotext fails without the password" "it opened the file"
else
    ok "pdftotext fails without the password"
fi
# Without --owner-password the owner password is "careerpdf-owner:" + the user's.
if qpdf --show-encryption --password="careerpdf-owner:$PW" "$tmp/enc.pdf" 2>&1 |
       grep -q "Supplied password is owner password"; then
    ok "derived owner password opens as owner"
else
    not_ok "derived owner password opens as owner" "qpdf did not accept it as owner"
fi
run --career ai-engineer --backend haru --password "$PW" --owner-password 'Own3r!' -o "$tmp/own.pdf"
if qpdf --show-encryption --password='Own3r!' "$tmp/own.pdf" 2>&1 | grep -q "Supplied password is owner password"; then
    ok "--owner-password is the owner password"
else
    not_ok "--owner-password is the owner password" "exit $rc: $(first_err)"
fi
if grep -aq "$PW" "$tmp/enc.pdf"; then
    not_ok "the password does not appear in the file" "found it"
else
    ok "the password does not appear in the file"
fi

# --- attachments ----------------------------------------------------------------------
run --career ai-engineer --backend haru --password "$PW" --attach-source -o "$tmp/att.pdf"
if [ "$rc" -eq 0 ] && qpdf --password="$PW" --list-attachments "$tmp/att.pdf" 2>/dev/null |
       grep -q '^ai-engineer.yaml'; then
    ok "--attach-source lists ai-engineer.yaml"
else
    not_ok "--attach-source lists ai-engineer.yaml" "exit $rc: $(first_err)"
fi
if qpdf --password="$PW" --show-attachment=ai-engineer.yaml "$tmp/att.pdf" >"$tmp/att.yaml" 2>/dev/null &&
   cmp -s "$tmp/att.yaml" "$career"; then
    ok "the attachment is the career YAML, byte for byte"
else
    not_ok "the attachment is the career YAML, byte for byte" "$(cmp "$tmp/att.yaml" "$career" 2>&1)"
fi
run --career "$career" --backend haru --attach-source -o "$tmp/att2.pdf"
if [ "$rc" -eq 0 ] && qpdf --show-attachment=ai-engineer.yaml "$tmp/att2.pdf" 2>/dev/null | cmp -s - "$career"; then
    ok "--attach-source with a career path, unencrypted"
else
    not_ok "--attach-source with a career path, unencrypted" "exit $rc: $(first_err)"
fi

# --- refusals -------------------------------------------------------------------------
# expect_refused NAME PATTERN ARGS...: exit 2, the message, and no output file.
expect_refused() {
    local name=$1 pattern=$2
    shift 2
    rm -f "$tmp/refused.pdf"
    run "$@" -o "$tmp/refused.pdf"
    if [ "$rc" -ne 2 ]; then
        not_ok "$name" "exit $rc, expected 2"
    elif ! grep -q -- "$pattern" "$tmp/err"; then
        not_ok "$name" "message: $(first_err)"
    elif [ -e "$tmp/refused.pdf" ] || ls "$tmp"/.refused.pdf* >/dev/null 2>&1; then
        not_ok "$name" "an output file was left"
    else
        ok "$name"
    fi
}
expect_refused "Devanagari is refused, naming text and script" \
    'text ".*" is in Devanagari, which the haru writer cannot shape; use --backend cairo' \
    --career ai-engineer --backend haru --lang hi
expect_refused "Arabic is refused" "is in Arabic, which the haru writer cannot shape" \
    --career ai-engineer --backend haru --lang ar
expect_refused "--password with PNG output is refused (only PDF can be encrypted)" \
    "--password protects PDF files, and --format png cannot be encrypted" \
    --career ai-engineer --password "$PW" --format png
expect_refused "--attach-source without --backend haru is refused" \
    "--attach-source needs --backend haru" --career ai-engineer --attach-source
expect_refused "unknown permission is refused" "--permissions 'print,fly'" \
    --career ai-engineer --backend haru --password "$PW" --permissions print,fly
expect_refused "--permissions without --password is refused" "--permissions needs --password" \
    --career ai-engineer --backend haru --permissions print
expect_refused "owner password equal to the user password is refused" \
    "--owner-password must differ" \
    --career ai-engineer --backend haru --password "$PW" --owner-password "$PW"
if grep -q -- "$PW" "$tmp/err"; then
    not_ok "messages never show the password" "found in: $(first_err)"
else
    ok "messages never show the password"
fi
expect_refused "a password over 32 bytes is refused" "longer than 32 characters" \
    --career ai-engineer --backend haru --password 0123456789abcdef0123456789abcdefX

# ---- per-student passwords and attachments in a roster run -------------------------------
printf 'name,career,dob,grade\nAsha Rao,ai-engineer,2009-04-12,11\n' >"$tmp/pw.csv"
run -j 1 --roster "$tmp/pw.csv" --out-dir "$tmp/pwo" --backend haru --password-column dob \
    --attach-source -q
check "a roster run with --password-column and --attach-source writes its report" \
    "exit $rc: $(first_err)" test "$rc" -eq 0 -a -f "$tmp/pwo/Asha_Rao-ai-engineer.pdf"
pdf="$tmp/pwo/Asha_Rao-ai-engineer.pdf"
check "each student's report opens with that student's password" "pdftotext failed" \
    pdftotext -upw 2009-04-12 "$pdf" "$tmp/pw.txt"
check "...and not without it" "opened without the password" \
    bash -c '! pdftotext "$1" - >/dev/null 2>&1' _ "$pdf"
qpdf --password=2009-04-12 --show-attachment=ai-engineer.yaml "$pdf" >"$tmp/att-career.yaml" 2>/dev/null
check "the career file is attached byte-identical" "differs" \
    cmp -s "$tmp/att-career.yaml" content/careers/ai-engineer.yaml
row=$(qpdf --password=2009-04-12 --show-attachment=student.yaml "$pdf" 2>/dev/null)
check "the roster row is attached as YAML" "got: $row" \
    grep -q '"name": "Asha Rao"' <<<"$row"
check "the password column is neither in the attached row nor in the manifest" "found it" \
    bash -c '! grep -q 2009-04-12 "$1/manifest.csv" && ! grep -q 2009-04-12 <<<"$2"' _ \
    "$tmp/pwo" "$row"

finish haru
