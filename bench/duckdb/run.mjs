// run.mjs - DuckDB as a peer in bench/funnel.sh. Loads a TSV of (ts seconds, person, event)
// into an in-memory table, then times one ordered funnel query and prints, as TSV on stdout,
// "level<TAB>persons" rows, and on stderr "load_s=... query_s=...".
//
//     node bench/duckdb/run.mjs events.tsv 86400 product_view,add_to_cart,purchase
//
// The query is windowFunnel's semantics in SQL: from every step-1 event, the earliest step-2
// event at or after it within the window (an ASOF join), then the earliest step-3 event at or
// after that one and within the window of the step-1 event; a person's level is the best over
// their step-1 events. bench/README.md explains why this equals the other tools' answer.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, windowArg, stepsArg] = process.argv.slice(2);
if (!file || !windowArg || !stepsArg) {
  console.error('usage: node run.mjs EVENTS.tsv WINDOW_SECONDS STEP1,STEP2,...');
  process.exit(1);
}
const window = Number.parseInt(windowArg, 10);
const steps = stepsArg.split(',');
if (!Number.isInteger(window) || window <= 0 || steps.length < 1 || steps.length > 8 ||
    steps.some((s) => !/^[A-Za-z0-9_]+$/.test(s))) {
  console.error('run.mjs: the window is whole seconds; steps are 1 to 8 plain event names');
  process.exit(1);
}

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
let t0 = performance.now();
await con.run(`CREATE TABLE e AS SELECT * FROM read_csv($1, delim='\t', header=false,
  columns={'ts': 'BIGINT', 'u': 'VARCHAR', 'name': 'VARCHAR'})`, [file]);
const loadS = (performance.now() - t0) / 1000;

// s1 = the step-1 events; each next step k joins, per person, the earliest event of step k at
// or after step k-1's time, kept only when it lies within the window of the step-1 event (and
// when step k-1 was found: an ASOF join may still pair a NULL probe time with a row).
let sql = `WITH s1 AS (SELECT u, ts AS t1, ts AS t_1 FROM e WHERE name = '${steps[0]}')`;
for (let k = 2; k <= steps.length; k++) {
  sql += `, e${k} AS (SELECT u, ts FROM e WHERE name = '${steps[k - 1]}'),
  s${k} AS (SELECT p.*, CASE WHEN p.t_${k - 1} IS NOT NULL AND n.ts <= p.t1 + ${window}
                              THEN n.ts END AS t_${k}
            FROM s${k - 1} p ASOF LEFT JOIN e${k} n ON p.u = n.u AND n.ts >= p.t_${k - 1})`;
}
const level = steps.map((_, i) => i).reverse()
  .map((i) => (i === 0 ? '1' : `WHEN t_${i + 1} IS NOT NULL THEN ${i + 1}`));
const levelExpr = steps.length === 1 ? '1' : `CASE ${level.slice(0, -1).join(' ')} ELSE 1 END`;
sql += `, lv AS (SELECT u, max(${levelExpr}) AS level FROM s${steps.length} GROUP BY u)
  SELECT level, count(*) AS persons FROM lv GROUP BY level ORDER BY level`;

t0 = performance.now();
const reader = await con.runAndReadAll(sql);
const queryS = (performance.now() - t0) / 1000;
for (const row of reader.getRows()) console.log(`${row[0]}\t${row[1]}`);
console.error(`load_s=${loadS.toFixed(3)} query_s=${queryS.toFixed(3)}`);
