#!/usr/bin/env bash
# install_check.sh - 'cmake --install' puts binary, library, headers, man page and klantreis.pc
# in place, and a program built with pkg-config against the installed library runs.
# Usage: install_check.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
rm -rf "$work"; mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
prefix=$work/prefix
for f in bin/klantreis include/klantreis/klantreis.h share/man/man1/klantreis.1; do
    [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
pc=$(find "$prefix" -name klantreis.pc | head -1)
[ -n "$pc" ] || { echo "FAIL: klantreis.pc not installed"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
cat >"$work/app.c" <<'C'
#include <klantreis/klantreis.h>
#include <stdio.h>
int main(void)
{
    kr_table_builder *b;
    kr_table *t;
    kr_event ev = KR_EVENT_INIT;
    ev.user_id = kr_str_from_cstr("u1");
    ev.event = kr_str_from_cstr("purchase");
    if (kr_table_builder_new(&b) || kr_table_builder_add(b, &ev) || kr_table_builder_finish(b, &t))
        return 1;
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    printf("%zu %u %s\n", c.count, c.person_count, kr_strerror(KR_EPARSE));
    kr_table_free(t);
    return 0;
}
C
cc -std=c17 -Wall -Werror "$work/app.c" -o "$work/app" $(pkg-config --cflags --libs klantreis)
out=$(LD_LIBRARY_PATH="$(dirname "$(find "$prefix" -name 'libklantreis.so' | head -1)")" "$work/app")
[ "$out" = "1 1 parse error" ] || { echo "FAIL: app printed '$out'"; exit 1; }
"$prefix/bin/klantreis" --version >/dev/null
echo "install: 1 passed, 0 failed"
