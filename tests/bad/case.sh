#!/usr/bin/env bash
# tests/bad/case.sh NAME OUT: writes the bad career of case NAME to OUT.
# tests/bad/case.sh --all DIR: writes every case to DIR/NAME.yaml (the base made once);
#   a case whose patch does not apply is named on stderr and has no file.
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

# The base with its id left as @ID@, filled in per case.
base_template() {
    awk '
        !started && !/^id:/ { next }                  # the header comment
        !started { started = 1; print "# Bad input: (the patch says what)"; print "id: @ID@"; next }
        /^  see_also:$/ { skip = 1; next }
        skip && /^    / { next }
        { skip = 0 }
        /^  with: / { next }
        /^related:$/ { rel = 1; blank = 0; next }
        rel && /^ / { next }
        /^$/ { blank++; next }                        # blank lines wait for what follows
        { rel = 0; while (blank) { print ""; blank-- } print }
    ' "$here/../../content/careers/ai-engineer.yaml"
}
# one NAME OUT: the base for NAME, patched into OUT
one() {
    printf '%s\n' "${template/id: @ID@/id: $1}" >"$2.base"
    patch --quiet --no-backup-if-mismatch -o "$2" "$2.base" <"$here/$1.patch" || {
        rm -f "$2.base" "$2"
        return 1
    }
    rm -f "$2.base"
}

template=$(base_template)
if [ "$1" = --all ]; then
    status=0
    for p in "$here"/*.patch; do
        name=${p##*/}
        name=${name%.patch}
        one "$name" "$2/$name.yaml" >/dev/null 2>&1 || { echo "$name: the patch does not apply" >&2; status=1; }
    done
    exit "$status"
fi
one "$1" "$2"
