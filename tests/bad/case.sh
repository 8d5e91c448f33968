#!/usr/bin/env bash
# tests/bad/case.sh NAME OUT: writes the bad career of case NAME to OUT.
#
# A case is a small patch (NAME.patch, unified diff) over one base: the AI engineer
# career (content/careers/ai-engineer.yaml) with `id: NAME`, its header comment replaced
# by one line, and the parts that name other careers left out (examples.see_also,
# comparison.with, related), so a case depends on no other file. A field the schema
# comes to require is added to content/careers/ai-engineer.yaml once and every case
# has it. `patch` places each hunk by its context, so edits elsewhere in the base leave
# the cases applying.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=$1 out=$2
base="$out.base"
awk -v id="$name" '
    !started && !/^id:/ { next }                  # the header comment
    !started { started = 1; print "# Bad input: (the patch says what)"; print "id: " id; next }
    /^  see_also:$/ { skip = 1; next }
    skip && /^    / { next }
    { skip = 0 }
    /^  with: / { next }
    /^related:$/ { rel = 1; blank = 0; next }
    rel && /^ / { next }
    /^$/ { blank++; next }                        # blank lines wait for what follows
    { rel = 0; while (blank) { print ""; blank-- } print }
' "$here/../../content/careers/ai-engineer.yaml" >"$base"
patch --quiet --no-backup-if-mismatch -o "$out" "$base" <"$here/$name.patch"
rm -f "$base"
