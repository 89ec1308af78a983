# klantreis value on small files worked out by hand, and on the CDNOW excerpt
# (tests/data/README.md). The CDNOW figures were computed independently with Python's csv and
# decimal modules over the same file: 76 customers, 7228.85 in sales, the top ceil(76 * 20 %)
# = 16 customers bring 4895.30 (67.7189 %), and the first 26 of 76 (34.2105 %) reach 80 %.
# CDNOW has no event column: awk adds one ("purchase") to every line.
# RFM on CDNOW at 1997-06-30 (end of day): the segment counts were computed independently in
# Python (scores 1 + floor(5 * worse / n), the grid of docs/value.md): 76 customers.
# r.csv: the hand-worked RFM set of tests/unit/engine/test_value.c (as-of day 100 = 2024-08-09;
# a's purchase on 2024-08-10 is after it).
# eq.csv: Pareto with equal revenues, five customers with 10.00 each; 'f' only looked.
# --as-of a plain date is the end of that day; 2024-04-30 is before every purchase.

$ printf 'timestamp,user_id,event,value\n2024-05-01T10:00:00Z,a,purchase,10.00\n2024-05-01T10:00:00Z,b,purchase,10.00\n2024-05-01T10:00:00Z,c,purchase,10.00\n2024-05-01T10:00:00Z,d,purchase,10.00\n2024-05-01T10:00:00Z,e,purchase,10.00\n2024-05-02T10:00:00Z,f,view,\n' > eq.csv; klantreis value pareto eq.csv --format csv
key,value
customers,5
revenue_cents,5000
share_top_1,0.200000
share_top_5,0.200000
share_top_10,0.200000
share_top_20,0.200000
share_top_50,0.600000
customers_for_80,0.800000
customers_for_80_count,4

$ klantreis value pareto eq.csv --format table
as of 2024-05-02T10:00:00Z, period from (exclusive) 2023-05-03T10:00:00Z
customers with revenue: 5, revenue 50.00

top         customers        revenue     share
  1%                1          10.00     20.0%
  5%                1          10.00     20.0%
 10%                1          10.00     20.0%
 20%                1          10.00     20.0%
 50%                3          30.00     60.0%

80% of the revenue comes from 80.0% of the customers (4)

$ klantreis value pareto eq.csv --as-of 2024-04-30 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["as_of"], d["customers"], d["share_top_20"], d["customers_for_80"])'
2024-04-30T23:59:59.999Z 0 0.0 0.0

$ awk -F, 'NR==1{print $0",event"; next}{print $0",purchase"}' $DATA/cdnow_head200.csv > c.csv; klantreis value pareto c.csv --map timestamp=date,user_id=masterid,value=sales --period all --format csv
key,value
customers,76
revenue_cents,722885
share_top_1,0.153142
share_top_5,0.363290
share_top_10,0.507288
share_top_20,0.677189
share_top_50,0.898959
customers_for_80,0.342105
customers_for_80_count,26

$ klantreis value pareto c.csv --map timestamp=date,user_id=masterid,value=sales --period all --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["from"], d["curve"][3])'
None {'percent': 20, 'customers': 16, 'revenue_cents': 489530, 'share': 0.677189317803}

$ klantreis value 2>&1; echo "exit $?"
klantreis value: name the analysis: rfm, pyramid or pareto
(see 'klantreis value --help')
exit 1

$ klantreis value pareto eq.csv --per household 2>&1; echo "exit $?"
klantreis value: --per takes person or account
(see 'klantreis value --help')
exit 1

$ awk -F, 'NR==1{print $0",event"; next}{print $0",purchase"}' $DATA/cdnow_head200.csv > c.csv; klantreis value rfm c.csv --map timestamp=date,user_id=masterid,value=sales --as-of 1997-06-30 --format csv | cut -d, -f1,2
segment,customers
Champions,21
Loyal,1
Potential loyalist,1
New,0
Promising,2
Need attention,5
About to sleep,6
At risk,7
Cannot lose them,0
Hibernating,9
Lost,24

$ printf 'timestamp,user_id,event,value\n2024-08-08T00:00:00Z,a,purchase,10\n2024-08-10T00:00:00Z,a,purchase,500\n2024-07-20T00:00:00Z,b,purchase,20\n2024-07-30T00:00:00Z,b,purchase,20\n2024-06-20T00:00:00Z,c,purchase,10\n2024-05-11T00:00:00Z,d,purchase,5\n2024-05-31T00:00:00Z,d,purchase,5\n2024-06-20T00:00:00Z,d,purchase,5\n2024-05-01T00:00:00Z,e,purchase,100\n2024-05-06T00:00:00Z,f,view,\n' > r.csv; klantreis value rfm r.csv --as-of 2024-08-09T00:00:00Z --list --format csv
customer,recency_days,frequency,monetary_cents,r,f,m,segment
a,1,1,1000,5,1,1,New
b,10,2,4000,4,4,4,Champions
c,50,1,1000,2,1,1,Hibernating
d,50,3,1500,2,5,3,At risk
e,100,1,10000,1,1,5,At risk
