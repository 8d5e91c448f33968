#!/usr/bin/env bash
# completion.sh - bash completion (doc/careerpdf.bash-completion): flags from --help,
# career ids from --list, layout names, paper sizes, folders for --out-dir.
. "$(dirname "$0")/lib.sh" completion
# complete WORDS...: COMPREPLY for the last word, one per line, sorted
complete_words() {
    bash -c 'source "$1/doc/careerpdf.bash-completion"; shift
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _careerpdf
             printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$root" "$@"
}
got=$(complete_words "$CAREERPDF" --)
missing=""
for flag in $("$CAREERPDF" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
    [[ $'\n'$got$'\n' == *$'\n'"$flag"$'\n'* ]] || missing="$missing $flag"   # no grep a flag
done
check "-- completes every flag --help shows" "missing:$missing" test -z "$missing"
got=$(complete_words "$CAREERPDF" --sch)
check "--sch completes to --schema" "$got" test "$got" = "--schema"
got=$(complete_words "$CAREERPDF" --career "")
check "--career completes the career ids of --list" "$got" \
    bash -c 'diff <("$1" --list | cut -f 1; echo -) <(sort <<<"$2" | sort) >/dev/null ||
             diff <(("$1" --list | cut -f 1; echo -) | sort) <(sort <<<"$2") >/dev/null' _ "$CAREERPDF" "$got"
got=$(complete_words "$CAREERPDF" --career da)
check "--career da completes to data-scientist" "$got" test "$got" = "data-scientist"
cp -R content "$tmp/content"
sed 's/^id: nurse$/id: zz-nurse-copy/' content/careers/nurse.yaml >"$tmp/content/careers/zz-nurse-copy.yaml"
got=$(complete_words "$CAREERPDF" --content "$tmp/content" --career zz)
check "--career honours a --content given before it" "$got" test "$got" = "zz-nurse-copy"
got=$(complete_words "$CAREERPDF" --layout "")
check "--layout completes the bundled layouts" "$got" test "$got" = "$(printf 'handout\nposter\nreport')"
got=$(complete_words "$CAREERPDF" --paper A)
check "--paper A completes the A sizes" "$got" test "$got" = "$(printf 'A0\nA1\nA2\nA3\nA4')"
got=$(complete_words "$CAREERPDF" --schema "")
check "--schema completes career, layout, strings" "$got" test "$got" = "$(printf 'career\nlayout\nstrings')"
got=$(complete_words "$CAREERPDF" --out-dir examples/sh)
check "--out-dir completes folders" "$got" test "$got" = "examples/sharding"
got=$(complete_words "$CAREERPDF" --dpi "")
check "--dpi completes nothing (a number)" "$got" test -z "$got"
finish completion
