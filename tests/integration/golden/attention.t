# klantreis attention on a small file worked out by hand (docs/attention.md).
# a.csv: on 2024-05-01 a buys 100.00, b 50.00, c 30.00, d 20.00; e only views (a prospect).
# With --tiers 25,25,25 the 4 active customers give rank limits 1, 2, 3: a top, b large, c
# medium, d small; value shares 0.5, 0.25, 0.15, 0.10.
# Company touches ("call"): a at 2024-04-02T23:59:59.999Z, exactly 60 days before as-of
# (2024-06-01 = its end of day, 23:59:59.999Z): a contact; b 1 ms earlier: silent; d 3 calls,
# e 1 call. Touches 6: top 1/6 / 0.5 = 0.333333, large 1/6 / 0.25 = 0.666667, medium 0,
# small 3/6 / 0.1 = 5; the prospect has attention but no value (no ratio).
# With --silent-days 61 b's call is inside the window: no silent customer.
# m.yaml: the same touches from the model (a touchpoint with initiated_by: company).
# n.yaml has no company touchpoint: exit 3. --company-events with a model: exit 1.

$ printf 'timestamp,user_id,event,value\n2024-05-01T10:00:00Z,a,purchase,100.00\n2024-05-01T10:00:00Z,b,purchase,50.00\n2024-05-01T10:00:00Z,c,purchase,30.00\n2024-05-01T10:00:00Z,d,purchase,20.00\n2024-05-01T10:00:00Z,e,view,\n2024-04-02T23:59:59.999Z,a,call,\n2024-04-02T23:59:59.998Z,b,call,\n2024-05-10T10:00:00Z,d,call,\n2024-05-11T10:00:00Z,d,call,\n2024-05-12T10:00:00Z,d,call,\n2024-05-13T10:00:00Z,e,call,\n' > a.csv; klantreis attention a.csv --company-events call --tiers 25,25,25 --silent-days 60 --as-of 2024-06-01 --format csv
tier,customers,touched,revenue_cents,value_share,touches,attention_share,ratio
top,1,1,10000,0.500000,1,0.166667,0.333333
large,1,1,5000,0.250000,1,0.166667,0.666667
medium,1,0,3000,0.150000,0,0.000000,0.000000
small,1,1,2000,0.100000,3,0.500000,5.000000
inactive,0,0,0,0.000000,0,0.000000,
prospect,1,1,0,0.000000,1,0.166667,
suspect,0,0,0,0.000000,0,0.000000,

list,customer,tier,rank,revenue_cents,touches,last_touch
silent,b,large,2,5000,1,2024-04-02T23:59:59.998Z
busy,d,small,4,2000,3,2024-05-12T10:00:00Z

$ klantreis attention a.csv --company-events call --tiers 25,25,25 --silent-days 60 --as-of 2024-06-01 --format table
as of 2024-06-01T23:59:59.999Z, period from (exclusive) 2023-06-02T23:59:59.999Z
company touches: 6, revenue 200.00

tier        customers  touched        revenue   value  touches  attention  ratio
top                 1        1         100.00   50.0%        1      16.7%   0.33
large               1        1          50.00   25.0%        1      16.7%   0.67
medium              1        0          30.00   15.0%        0       0.0%   0.00
small               1        1          20.00   10.0%        3      50.0%   5.00
inactive            0        0           0.00    0.0%        0       0.0%      -
prospect            1        1           0.00    0.0%        1      16.7%      -
suspect             0        0           0.00    0.0%        0       0.0%      -

top and large customers without a company touch in 60 days: 1
customer                 tier       rank        revenue  touches last touch (days ago)
b                        large         2          50.00        1 2024-04-02T23:59:59.998Z (60)

small customers with company touches: 1, most touched first
customer                 tier       rank        revenue  touches last touch (days ago)
d                        small         4          20.00        3 2024-05-12T10:00:00Z (20)

$ klantreis attention a.csv --company-events call --tiers 25,25,25 --silent-days 61 --as-of 2024-06-01 --format json | tail -n 16
  ],
  "silent_days": 61.0,
  "silent_total": 0,
  "silent": [],
  "busy_total": 1,
  "busy": [
    {
      "customer": "d",
      "tier": "small",
      "rank": 4,
      "revenue_cents": 2000,
      "touches": 3,
      "last_touch": "2024-05-12T10:00:00Z"
    }
  ]
}

$ printf 'phases:\n  - id: A\n    touchpoints:\n      - {id: bezoek, initiated_by: customer, match: {event: view}}\n      - {id: belletje, initiated_by: company, match: {event: call}}\n' > m.yaml; klantreis attention a.csv --model m.yaml --tiers 25,25,25 --silent-days 60 --as-of 2024-06-01 --format csv
tier,customers,touched,revenue_cents,value_share,touches,attention_share,ratio
top,1,1,10000,0.500000,1,0.166667,0.333333
large,1,1,5000,0.250000,1,0.166667,0.666667
medium,1,0,3000,0.150000,0,0.000000,0.000000
small,1,1,2000,0.100000,3,0.500000,5.000000
inactive,0,0,0,0.000000,0,0.000000,
prospect,1,1,0,0.000000,1,0.166667,
suspect,0,0,0,0.000000,0,0.000000,

list,customer,tier,rank,revenue_cents,touches,last_touch
silent,b,large,2,5000,1,2024-04-02T23:59:59.998Z
busy,d,small,4,2000,3,2024-05-12T10:00:00Z

$ printf 'phases:\n  - id: A\n    touchpoints:\n      - {id: bezoek, match: {event: view}}\n' > n.yaml; klantreis attention a.csv --model n.yaml --format csv
[exit 3]

$ klantreis attention a.csv --company-events call --template b2b
[exit 1]
