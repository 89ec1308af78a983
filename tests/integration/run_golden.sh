#!/usr/bin/env bash
# run_golden.sh - CLI golden tests. Usage: run_golden.sh KLANTREIS_BINARY GOLDEN_DIR DATA_DIR
#
# Each GOLDEN_DIR/*.t file holds one or more cases:
#   $ klantreis stats $DATA/small.csv --format json     <- a command (run by bash in a temp dir)
#   {...expected standard output, line for line...}
#   [exit 2]                                            <- optional: the expected exit code
# Lines starting with '#' before a command are comments: at the top of a file, or after the
# blank line that ends a case (expected output never has a '#' line right after a blank one). 'klantreis' is the binary under test;
# $DATA is the test data folder. Standard error is not compared (shown on failure).
set -u
bin=$(realpath "$1") golden=$(realpath "$2") data=$(realpath "$3")
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_case() { # file, line, command, expected-output-file, expected-exit
    local file=$1 line=$2 cmd=$3 expected=$4 want_exit=$5
    local out=$work/out err=$work/err
    # Blank lines that end a case separate it from the next one; they are not output.
    sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$expected"
    (cd "$work/cwd" && DATA=$data KLANTREIS_DB= bash -c "klantreis() { \"$bin\" \"\$@\"; }; $cmd") \
        </dev/null >"$out" 2>"$err"
    local got_exit=$?
    if [ "$got_exit" -ne "$want_exit" ] || ! diff -u "$expected" "$out" >"$work/diff"; then
        fail=$((fail + 1))
        echo "FAIL $file:$line: \$ $cmd"
        [ "$got_exit" -ne "$want_exit" ] && echo "  exit $got_exit, expected $want_exit"
        sed 's/^/  /' "$work/diff" | head -40
        echo "  stderr:"; sed 's/^/    /' "$err" | head -10
    else
        pass=$((pass + 1))
    fi
}

for t in "$golden"/*.t; do
    [ -e "$t" ] || continue
    rm -rf "$work/cwd"; mkdir -p "$work/cwd" # a fresh folder per file, shared by its cases
    cmd="" cmd_line=0 want_exit=0 prev="" in_comment=0
    : >"$work/expected"
    n=0
    while IFS= read -r l || [ -n "$l" ]; do
        n=$((n + 1))
        if [[ "$l" == '$ '* ]]; then
            [ -n "$cmd" ] && run_case "$t" "$cmd_line" "$cmd" "$work/expected" "$want_exit"
            cmd=${l#'$ '} cmd_line=$n want_exit=0 in_comment=0
            : >"$work/expected"
        elif [[ -n "$cmd" && "$l" == '#'* && -z "$prev" ]] || [ "$in_comment" = 1 ]; then
            in_comment=1 # comments of the next case
        elif [[ -n "$cmd" && "$l" =~ ^\[exit\ ([0-9]+)\]$ ]]; then
            want_exit=${BASH_REMATCH[1]}
        elif [ -n "$cmd" ]; then
            printf '%s\n' "$l" >>"$work/expected"
        fi
        prev=$l
    done <"$t"
    [ -n "$cmd" ] && run_case "$t" "$cmd_line" "$cmd" "$work/expected" "$want_exit"
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
