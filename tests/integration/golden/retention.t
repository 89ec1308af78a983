# klantreis retention on a small file worked out by hand (2024-01-01 is a Monday):
#   ann:  signup Mon 01-01 10:00; purchase 01-01 09:00 (before the signup: not a return),
#         purchase Sun 01-07 23:00 (week 0), purchase Mon 01-08 00:00 (week 1)
#   bob:  signup Wed 01-03; purchase Sat 01-20 (week 2)
#   cees: signup Mon 01-08; no purchase
# cohort 2024-01-01: ann, bob -> returned [1, 1, 1]; cohort 2024-01-08: cees -> [0, 0, 0]
# buyers ann (3), bob (1): repeat rate 1/2; ann's gaps 6d14h and 1h: median 3.3125 days
# monthly: all three in January, returns of ann and bob in month 0 -> [2, 0]
# --from 2024-01-04 drops ann's and bob's signups: cees alone is a cohort

$ printf 'timestamp,user_id,event\n2024-01-01T10:00:00Z,ann,signup\n2024-01-01T09:00:00Z,ann,purchase\n2024-01-07T23:00:00Z,ann,purchase\n2024-01-08T00:00:00Z,ann,purchase\n2024-01-03T10:00:00Z,bob,signup\n2024-01-20T10:00:00Z,bob,purchase\n2024-01-08T10:00:00Z,cees,signup\n' > f.csv; klantreis retention f.csv --start signup --return purchase --periods 2 --format csv
cohort,size,period,returned,rate
2024-01-01,2,0,1,0.500000
2024-01-01,2,1,1,0.500000
2024-01-01,2,2,1,0.500000
2024-01-08,1,0,0,0.000000
2024-01-08,1,1,0,0.000000
2024-01-08,1,2,0,0.000000

$ klantreis retention f.csv --start signup --return purchase --periods 3 --format table
cohort      persons     w0     w1     w2     w3
2024-01-01        2  50.0%  50.0%  50.0%   0.0%
2024-01-08        1   0.0%   0.0%   0.0%   0.0%

persons in cohorts: 3
repeat purchase rate: 50.0% (1 of 2 buyers bought again)
median days between purchases: 3.3

$ klantreis retention f.csv --start signup --return purchase --period month --periods 1 --format json | tr -d ' \n'; echo
{"period":"month","periods":1,"start_event":"signup","return_event":"purchase","cohorts":[{"start":"2024-01-01","size":3,"returned":[2,0],"rate":[0.66666666666666663,0.0]}],"persons":3,"purchase_event":"purchase","purchasers":2,"repeat_purchasers":1,"repeat_rate":0.5,"purchase_gaps":2,"median_days_between_purchases":3.3125}

$ klantreis retention f.csv --start signup --return purchase --periods 0 --from 2024-01-04 --format csv
cohort,size,period,returned,rate
2024-01-08,1,0,0,0.000000

$ klantreis retention f.csv --start signup 2>&1; echo "exit $?"
klantreis retention: name the events with --start EVENT --return EVENT
(see 'klantreis retention --help')
exit 1

$ klantreis retention f.csv --start signup --return purchase --period year 2>&1; echo "exit $?"
klantreis retention: --period takes day, week or month
(see 'klantreis retention --help')
exit 1
