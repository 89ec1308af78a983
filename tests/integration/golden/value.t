# klantreis value on small files worked out by hand, and on the CDNOW excerpt
# (tests/data/README.md). The CDNOW figures were computed independently with Python's csv and
# decimal modules over the same file: 76 customers, 7228.85 in sales, the top ceil(76 * 20 %)
# = 16 customers bring 4895.30 (67.7189 %), and the first 26 of 76 (34.2105 %) reach 80 %.
# CDNOW has no event column: awk adds one ("purchase") to every line.
# RFM on CDNOW at 1997-06-30 (end of day): the segment counts were computed independently in
# Python (scores 1 + floor(5 * worse / n), the grid of docs/value.md): 76 customers.
# r.csv: the hand-worked RFM set of tests/unit/engine/test_value.c (as-of day 100 = 2024-08-09;
# a's purchase on 2024-08-10 is after it).
# Pyramid on the Online Retail excerpt (one day, 24 customers; line value = Quantity *
# UnitPrice, computed by Python's decimal module into o.csv): tiers 10,20,30 give rank limits
# ceil(2.4) = 3, ceil(7.2) = 8, ceil(14.4) = 15; the counts and revenues per tier were computed
# independently in Python: top 3 / 6629.66, large 5 / 3323.35, medium 7 / 2597.80, small 9.
# p.csv: the pyramid ties of tests/unit/engine/test_value.c: revenues a b 100, c..f 50, g..j 10
# on 2024-05-02, tiers 10,20,30: limits 1, 3, 6; a and b tie for rank 1 and are both top, c..f
# share rank 3 and are all large, medium is empty; k only viewed (prospect). Then on 2024-06-01
# c buys 200 and j 20; compared to 2024-05-15 (the first pyramid): now c 250 rank 1 top; a, b
# 100 rank 2 large (down from top); d, e, f 50 rank 4 <= 6 medium (down from large); j 30
# rank 7 and g, h, i rank 8 small (same); c moved up from large.
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

$ klantreis value pareto eq.csv --as-of 20240501 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["as_of"], d["customers"])'
2024-05-01T23:59:59.999Z 5

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

$ python3 -c 'import csv,sys; from decimal import Decimal; w=csv.writer(open("o.csv","w",newline="")); w.writerow(["timestamp","user_id","event","value"]); [w.writerow([r["InvoiceDate"],r["CustomerID"],"purchase",str(Decimal(r["Quantity"])*Decimal(r["UnitPrice"]))]) for r in csv.DictReader(open(sys.argv[1]))]' $DATA/online_retail_head300.csv; klantreis value pyramid o.csv --tiers 10,20,30 --format csv
tier,customers,revenue_cents,revenue_share
top,3,662966,0.496199
large,5,332335,0.248737
medium,7,259780,0.194433
small,9,81007,0.060630
inactive,0,0,0.000000
prospect,0,0,0.000000
suspect,0,0,0.000000

$ printf 'timestamp,user_id,event,value\n' > p.csv; for u in a b; do echo "2024-05-02T00:00:00Z,$u,purchase,100" >> p.csv; done; for u in c d e f; do echo "2024-05-02T00:00:00Z,$u,purchase,50" >> p.csv; done; for u in g h i j; do echo "2024-05-02T00:00:00Z,$u,purchase,10" >> p.csv; done; echo "2024-05-03T00:00:00Z,k,view," >> p.csv; klantreis value pyramid p.csv --tiers 10,20,30 --format table
as of 2024-05-03T00:00:00Z, period from (exclusive) 2023-05-04T00:00:00Z
active customers: 10, revenue 440.00; rank limits 1, 3, 6

tier        customers        revenue   share
top                 2         200.00   45.5%
large               4         200.00   45.5%
medium              0           0.00    0.0%
small               4          40.00    9.1%
inactive            0           0.00    0.0%
prospect            1           0.00    0.0%
suspect             0           0.00    0.0%

$ echo "2024-06-01T00:00:00Z,c,purchase,200" >> p.csv; echo "2024-06-01T00:00:00Z,j,purchase,20" >> p.csv; klantreis value pyramid p.csv --tiers 10,20,30 --compare-to 2024-05-15 --list --format csv
customer,tier,rank,revenue_cents,before,before_revenue_cents,direction
a,large,2,10000,top,10000,down
b,large,2,10000,top,10000,down
c,top,1,25000,large,5000,up
d,medium,4,5000,large,5000,down
e,medium,4,5000,large,5000,down
f,medium,4,5000,large,5000,down

$ klantreis value pyramid p.csv --tiers 10,20,30 --compare-to 2024-05-15 --format csv | tail -n +10
from,to,customers
top,large,2
large,top,1
large,medium,3
small,small,4
prospect,prospect,1

$ klantreis value pyramid p.csv --tiers 50,50,10 2>&1; echo "exit $?"
klantreis value: --tiers takes three percentages above 0 that add up to less than 100: 1,4,15
(see 'klantreis value --help')
exit 1

$ klantreis value pyramid p.csv --compare-to 2024-07-01 2>&1; echo "exit $?"
klantreis value: the comparison date must lie before the as-of date
exit 3
