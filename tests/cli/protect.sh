#!/usr/bin/env bash
# tests/cli/protect.sh - password-protected output from the default (cairo) writer:
# AES-256 (revision 6) for single reports, roster reports of every script, merged print
# files and the handbook. Every protected file is opened by two independent readers,
# qpdf and poppler, with the right password and with a wrong one, and its raw bytes are
# searched for text that must not be readable without the password.
#
#   CAREERPDF=./careerpdf tests/cli/protect.sh
. "$(dirname "$0")/lib.sh" protect

PW='k7#Vq-2mRt'

# is_aes256 NAME FILE PASSWORD: both readers open FILE with PASSWORD, see AES-256
# revision 6, and neither opens it without a password or with a wrong one.
# (qpdf --check prints what --show-encryption does before its checks: one reading, kept
# in $enc for the checks of permissions that follow.)
is_aes256() {
    local name=$1 f=$2 pw=$3 info q
    enc=$(qpdf --check --password="$pw" "$f" 2>&1)
    q=$?
    info=$(pdfinfo -upw "$pw" "$f" 2>&1)
    if ! grep -q '^R = 6$' <<<"$enc"; then
        not_ok "$name: qpdf sees revision 6" "$(head -c 200 <<<"$enc")"
    elif ! grep -q 'algorithm:AES-256' <<<"$info"; then
        not_ok "$name: poppler sees AES-256" "$(grep Encrypted <<<"$info")"
    elif [ "$q" -ne 0 ]; then
        not_ok "$name: qpdf --check passes with the password" \
            "it reports errors: $(grep -m2 -iE 'warn|error' <<<"$enc" | tr '\n' ' ')"
    elif qpdf --check --password=wrong-password "$f" >/dev/null 2>&1 ||
         pdftotext -upw wrong-password "$f" - >/dev/null 2>&1; then
        not_ok "$name: a wrong password opens nothing" "qpdf or poppler opened it"
    elif pdftotext "$f" - >/dev/null 2>&1 || pdfinfo "$f" >/dev/null 2>&1; then
        not_ok "$name: no password opens nothing" "poppler opened it"
    else
        ok "$name: AES-256 R6, opened by qpdf and poppler with the password only"
    fi
}
# clear_text NAME FILE WORD...: none of the words is in the file's raw bytes (streams
# are compressed anyway, so the test decompresses them the way an attacker would).
not_in_clear() {
    local name=$1 f=$2 w
    shift 2
    qpdf --qdf --object-streams=disable --password= "$f" "$tmp/clear.pdf" >/dev/null 2>&1
    for w in "$@"; do
        if grep -aq -- "$w" "$f" || { [ -s "$tmp/clear.pdf" ] && grep -aq -- "$w" "$tmp/clear.pdf"; }; then
            not_ok "$name" "'$w' is readable without the password"
            return
        fi
    done
    ok "$name"
}
text_has() { # NAME FILE PASSWORD WORD...: pdftotext with the password finds every word
    local name=$1 f=$2 pw=$3 w t
    shift 3
    t=$(pdftotext -upw "$pw" "$f" - 2>/dev/null | tr -s ' \n' '  ')
    for w in "$@"; do
        if ! grep -qF -- "$w" <<<"$t"; then
            not_ok "$name" "'$w' not in the text"
            return
        fi
    done
    ok "$name"
}

# ---- one report -------------------------------------------------------------------------
run --career ai-engineer --password "$PW" -o "$tmp/r.pdf"
expect_rc "--password: exit 0" 0
is_aes256 "single report" "$tmp/r.pdf" "$PW"
text_has "single report: the text comes back with the password" "$tmp/r.pdf" "$PW" \
    "How to Become an AI Engineer in 2026" "Frequently asked questions"
not_in_clear "single report: title and metadata are not readable without the password" \
    "$tmp/r.pdf" "How to Become" "AI Engineer"
"$CAREERPDF" --career ai-engineer -o "$tmp/plain.pdf"
check "single report: still tagged, with all its pages" "pdfinfo says otherwise" \
    bash -c 'pdfinfo -upw "$1" "$2" | grep -q "^Tagged: *yes" &&
             [ "$(pdfinfo -upw "$1" "$2" | grep ^Pages:)" = "$(pdfinfo "$3" | grep ^Pages:)" ]' \
    _ "$PW" "$tmp/r.pdf" "$tmp/plain.pdf"
check "single report: the same text as the unprotected report" "the text differs" \
    bash -c 'cmp -s <(pdftotext -upw "$1" "$2" -) <(pdftotext "$3" -)' _ "$PW" "$tmp/r.pdf" \
    "$tmp/plain.pdf"
perm=$enc   # qpdf's reading of r.pdf with the password, by is_aes256 above
check "default permissions: print yes, copy no, accessibility always" "$perm" \
    bash -c 'grep -q "print high resolution: allowed" <<<"$1" &&
             grep -q "extract for any purpose: not allowed" <<<"$1" &&
             grep -q "extract for accessibility: allowed" <<<"$1"' _ "$perm"
check "the derived owner password opens as owner" "qpdf did not accept it" \
    bash -c 'qpdf --show-encryption --password="careerpdf-owner:$1" "$2" 2>&1 |
             grep -q "Supplied password is owner password"' _ "$PW" "$tmp/r.pdf"
check "the password is nowhere in the file" "found it" \
    bash -c '! grep -aqF -- "$1" "$2"' _ "$PW" "$tmp/r.pdf"

run --career ai-engineer --password "$PW" --permissions copy --owner-password 'Own3r-pass!' \
    -o "$tmp/p.pdf"
perm=$(qpdf --show-encryption --password="$PW" "$tmp/p.pdf" 2>&1)
check "--permissions copy: copy yes, print no" "$perm" \
    bash -c 'grep -q "extract for any purpose: allowed" <<<"$1" &&
             grep -q "print high resolution: not allowed" <<<"$1"' _ "$perm"
check "--owner-password is the owner password" "qpdf did not accept it as owner" \
    bash -c 'qpdf --show-encryption --password="Own3r-pass!" "$1" 2>&1 |
             grep -q "Supplied password is owner password"' _ "$tmp/p.pdf"

long=$(printf 'x%.0s' $(seq 1 32))
run --career ai-engineer --password "$long" -o "$tmp/long.pdf"
expect_rc "a 32-character password works" 0
is_aes256 "32-character password" "$tmp/long.pdf" "$long"

# Languages the haru writer cannot shape are protected too.
run --career ai-engineer --lang hi --password "$PW" -o "$tmp/hi.pdf"
expect_rc "a Hindi report can be protected" 0
is_aes256 "Hindi report" "$tmp/hi.pdf" "$PW"

# ---- refusals --------------------------------------------------------------------------
refused() { # NAME PATTERN ARGS...: exit 2, the message, no output file
    local name=$1 pattern=$2
    shift 2
    rm -rf "$tmp/refused"
    mkdir -p "$tmp/refused"
    run "$@"
    if [ "$rc" -ne 2 ]; then not_ok "$name" "exit $rc, expected 2"
    elif ! grep -q -- "$pattern" "$tmp/err"; then not_ok "$name" "message: $(first_err)"
    elif [ -n "$(ls -A "$tmp/refused")" ]; then not_ok "$name" "left: $(ls -A "$tmp/refused")"
    else ok "$name"; fi
}
refused "a password over 32 characters is refused" "longer than 32 characters" \
    --career ai-engineer --password "${long}x" -o "$tmp/refused/x.pdf"
refused "a non-ASCII password is refused" "other than printable ASCII" \
    --career ai-engineer --password 'pässwort' -o "$tmp/refused/x.pdf"
refused "--password with SVG output is refused" "cannot be encrypted" \
    --career ai-engineer --password "$PW" --format svg -o "$tmp/refused/x.svg"
check "messages never show the password" "found in: $(first_err)" \
    bash -c '! grep -qF -- "$1" "$2"' _ "$PW" "$tmp/err"

# ---- rosters ---------------------------------------------------------------------------
cat >"$tmp/class.csv" <<'EOF'
name,career,grade,school,note,pw
Emily Chen,ai-engineer,11,Westview High School,Builds robots after school,emily-Secret-1
अनन्या शर्मा,nurse,12,Delhi Public School,नर्सिंग में रुचि,ananya-Secret-2
王小明,data-scientist,10,Beijing No. 4 High School,,wang-Secret-3
فاطمة الزهراء,nurse,11,Westview High School,,fatima-Secret-4
EOF
run --roster "$tmp/class.csv" --out-dir "$tmp/files" --password-column pw -q -j 2
expect_rc "--password-column: every student's report is written" 0
i=0
while IFS=, read -r name career _ _ _ pw; do
    i=$((i + 1))
    [ "$i" -eq 1 ] && continue
    f=$(awk -F, -v n="$name" '$3 == n {print $5}' "$tmp/files/manifest.csv")
    # Each file's encryption read in full (both readers, qpdf --check, no and wrong
    # passwords): the first two students (Latin, Devanagari) in make test, all four in
    # make test-full; every student's file opens with their own password only, below.
    if [ "$i" -le 3 ] || full; then
        is_aes256 "roster: $name" "$tmp/files/$f" "$pw"
    fi
    text_has "roster: $name's report names her with her password" "$tmp/files/$f" "$pw" "$name"
    other=emily-Secret-1
    [ "$pw" = "$other" ] && other=ananya-Secret-2
    check "roster: $name's report does not open with another student's password" \
        "it opened" bash -c '! pdfinfo -upw "$1" "$2" >/dev/null 2>&1' _ "$other" "$tmp/files/$f"
done <"$tmp/class.csv"
check "no password in the manifest" "found one" \
    bash -c '! grep -q "Secret-" "$1"' _ "$tmp/files/manifest.csv"

run -j 1 --roster "$tmp/class.csv" --out-dir "$tmp/same" --password "$PW" -q
expect_rc "--password for a roster run: exit 0" 0
is_aes256 "roster with one --password" "$tmp/same/Emily_Chen-ai-engineer.pdf" "$PW"

# ---- merged print files ------------------------------------------------------------------
run --roster "$tmp/class.csv" --merge "$tmp/merged.pdf" --password "$PW" -q
expect_rc "--merge --password: exit 0" 0
is_aes256 "merged print file" "$tmp/merged.pdf" "$PW"
text_has "merged: every student is in the text with the password" "$tmp/merged.pdf" "$PW" \
    "Emily Chen" "Westview High School" "Builds robots after school"
not_in_clear "merged: no student's name or note is readable without the password" \
    "$tmp/merged.pdf" "Emily Chen" "Builds robots" "Westview"
refused "--merge with --password-column is refused (one file, one password)" \
    "one merged file has one password" \
    --roster "$tmp/class.csv" --merge "$tmp/refused/m.pdf" --password-column pw
refused "--merge with --backend haru is refused, never drawn by cairo unasked" \
    "the merged print file is drawn by the cairo writer" \
    --roster "$tmp/class.csv" --merge "$tmp/refused/m.pdf" --backend haru --password "$PW"
refused "a roster run with a bad --password fails before any work" "longer than 32" \
    --roster "$tmp/class.csv" --out-dir "$tmp/refused/o" --password "${long}x"

# ---- the handbook -------------------------------------------------------------------------
run --all --merge "$tmp/book.pdf" --password "$PW"
expect_rc "--all --merge --password: exit 0" 0
is_aes256 "handbook" "$tmp/book.pdf" "$PW"

# ---- the haru writer keeps its own encryption -------------------------------------------
run --career ai-engineer --backend haru --password "$PW" -o "$tmp/haru.pdf"
enc=$(qpdf --show-encryption --password="$PW" "$tmp/haru.pdf" 2>&1)
check "--backend haru --password is RC4 128-bit (revision 3), as documented" \
    "$(head -n 2 <<<"$enc")" grep -q "^R = 3$" <<<"$enc"

finish protect
