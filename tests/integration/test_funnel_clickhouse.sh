#!/usr/bin/env bash
# test_funnel_clickhouse.sh - the ordered funnel against ClickHouse's windowFunnel, on random
# data sets: starts Debian's clickhouse-server on 127.0.0.1 (free ports, data in WORK_DIR),
# loads each data set, and compares the persons per step (level >= k) for random step lists
# and windows. Skipped, with a message, when clickhouse-server is not installed.
# Debian 12's server is 18.16: windowFunnel(window) only (no 'strict_order' mode, which came
# later), with UInt32/DateTime seconds, so times here are whole seconds.
# Usage: test_funnel_clickhouse.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
server=$(command -v clickhouse-server || true)
[ -z "$server" ] && [ -x /usr/sbin/clickhouse-server ] && server=/usr/sbin/clickhouse-server
if [ -z "$server" ]; then
    echo "SKIPPED: clickhouse-server is not installed (apt-get install clickhouse-server)"
    exit 0
fi
rm -rf "$work"; mkdir -p "$work/data" "$work/tmp"
read -r http tcp < <(python3 -c 'import socket
ports = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s.getsockname()[1]); s.close()
print(*ports)')
cat > "$work/config.xml" <<XML
<yandex>
  <logger><level>warning</level><log>$work/log.txt</log><errorlog>$work/err.txt</errorlog></logger>
  <http_port>$http</http_port><tcp_port>$tcp</tcp_port><listen_host>127.0.0.1</listen_host>
  <path>$work/data/</path><tmp_path>$work/tmp/</tmp_path><users_config>users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
</yandex>
XML
cat > "$work/users.xml" <<XML
<yandex><profiles><default></default></profiles><quotas><default></default></quotas>
<users><default><password></password><networks><ip>127.0.0.1</ip></networks>
<profile>default</profile><quota>default</quota></default></users></yandex>
XML
"$server" --config-file="$work/config.xml" > "$work/server.out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$http/" --data-binary 'SELECT 1' > /dev/null && break
    sleep 0.2
done
python3 - "$kr" "$work" "$http" <<'PY'
import csv, random, subprocess, sys, urllib.request
kr, work, port = sys.argv[1], sys.argv[2], sys.argv[3]
def ch(sql):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=sql.encode())
    return urllib.request.urlopen(req).read().decode()
print("clickhouse", ch("SELECT version()").strip())
names = ["a", "b", "c", "d"]
cases = 0
for seed in range(25):
    rnd = random.Random(seed)
    rows = []
    for p in range(rnd.randint(5, 60)):
        t = 1_700_000_000
        for _ in range(rnd.randint(1, 12)):
            # distinct times per person: 18.16 does not sort entries at equal times by step
            t += rnd.choice([1, 5, 60, 3600])
            rows.append((t, f"u{p}", rnd.choice(names)))
    rnd.shuffle(rows)
    path = f"{work}/f{seed}.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "user_id", "event"])
        w.writerows((t * 1000, u, e) for t, u, e in rows)
    ch("DROP TABLE IF EXISTS e")
    ch("CREATE TABLE e (ts UInt32, u String, name String) ENGINE = Memory")
    ch("INSERT INTO e FORMAT TabSeparated\n" + "".join(f"{t}\t{u}\t{e}\n" for t, u, e in rows))
    for _ in range(8):
        steps = rnd.sample(names, rnd.randint(1, 4))
        window = rnd.choice([1, 5, 60, 3600, 86400])
        conds = ", ".join(f"name = '{s}'" for s in steps)
        levels = [int(x) for x in ch(f"SELECT windowFunnel({window})(ts, {conds}) "
                                    f"FROM e GROUP BY u").split()]
        expected = [sum(1 for l in levels if l >= k) for k in range(1, len(steps) + 1)]
        out = subprocess.run([kr, "funnel", path, "--steps", ",".join(steps), "--window",
                              f"{window}s", "--format", "csv"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[1:]
        got = [int(line.split(",")[1]) for line in out]
        if got != expected:
            print(f"FAIL seed {seed} steps {steps} window {window}: klantreis {got}, "
                  f"ClickHouse {expected}")
            sys.exit(1)
        cases += 1
print(f"funnel vs ClickHouse windowFunnel: {cases} passed, 0 failed")
PY
