# Command-line behaviour: help, version, usage errors and their exit codes.

$ klantreis --version
klantreis 0.1.0

$ klantreis frobnicate 2>/dev/null
[exit 1]

$ klantreis import 2>&1 | head -1
klantreis import: name at least one FILE

$ klantreis import; echo "exit $?"
exit 1

$ klantreis stats --format yaml 2>&1 | head -1
klantreis stats: --format takes table, csv or json

$ klantreis stats --db missing.db 2>&1; echo "exit $?"
klantreis: no store at missing.db: import data first ('klantreis import FILE'), or name a CSV/JSONL file to analyse directly
exit 2

$ klantreis stats no-such-file.csv 2>&1; echo "exit $?"
klantreis: no-such-file.csv: cannot open: No such file or directory
exit 2

$ klantreis import --help | head -1
usage: klantreis import [OPTIONS] FILE...

$ klantreis --help | grep '^  stats'
  stats        overview: events, persons, accounts, devices, time range
