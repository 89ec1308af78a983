# klantreis lists on small files worked out by hand (docs/lists.md).
# carts.csv, as-of 2024-05-04T00:00:00Z, --hours 24: a bought exactly 24 h after the cart
# (counts as bought); b bought 24 h + 1 s after (listed, one purchase, cart 25.50); c's cart
# is exactly 24 h before as-of (window closed: listed; c has two ids, dev-c and c); d's cart is
# 1 s later (window still open). With --hours 48 b bought in time and c's window is open.
# n.csv, as-of 2024-06-10 (end of day): p bought on 05-01, 05-11, 05-21 (gaps 10 and 10 days,
# median 10) and scored NPS 9 on 05-22: an ambassador (3 purchases, 60.00), and 20 days
# 13:59:59.999 since the last purchase: overdue 10.58 days (not with --grace 11d). q's latest
# NPS is 7 and q bought twice: neither list. Neither is RFM at risk (R scores 5 and 3).
# p.csv: the pyramid of value.t: with tiers 10,20,30, compared to 2024-05-15, a and b drop
# from top to large and d, e, f from large to medium (c moved up, j stayed small).

$ printf 'timestamp,user_id,anonymous_id,event,value\n2024-05-01T00:00:00Z,a,,add_to_cart,\n2024-05-02T00:00:00Z,a,,purchase,10.00\n2024-05-01T00:00:00Z,b,,add_to_cart,25.50\n2024-05-02T00:00:01Z,b,,purchase,25.50\n2024-05-03T00:00:00Z,c,dev-c,add_to_cart,12.00\n2024-05-03T00:00:01Z,d,,add_to_cart,\n' > carts.csv; klantreis lists abandoned-carts carts.csv --as-of 2024-05-04T00:00:00Z
person,ids,reason,last_cart_at,cart_value_cents,purchases
b,b,cart not bought within the window,2024-05-01T00:00:00Z,2550,1
c,dev-c;c,cart not bought within the window,2024-05-03T00:00:00Z,1200,0

$ klantreis lists abandoned-carts carts.csv --as-of 2024-05-04T00:00:00Z --hours 48
person,ids,reason,last_cart_at,cart_value_cents,purchases

$ klantreis lists abandoned-carts carts.csv --as-of 2024-05-04T00:00:00Z --format json
{
  "list": "abandoned-carts",
  "as_of": "2024-05-04T00:00:00Z",
  "count": 2,
  "rows": [
    {
      "person": "b",
      "ids": [
        "b"
      ],
      "reason": "cart not bought within the window",
      "last_cart_at": "2024-05-01T00:00:00Z",
      "cart_value_cents": 2550,
      "purchases": 1
    },
    {
      "person": "c",
      "ids": [
        "dev-c",
        "c"
      ],
      "reason": "cart not bought within the window",
      "last_cart_at": "2024-05-03T00:00:00Z",
      "cart_value_cents": 1200,
      "purchases": 0
    }
  ]
}

$ printf 'timestamp,user_id,event,value,score,score_scale\n2024-05-01T10:00:00Z,p,purchase,20.00,,\n2024-05-11T10:00:00Z,p,purchase,30.00,,\n2024-05-21T10:00:00Z,p,purchase,10.00,,\n2024-05-22T10:00:00Z,p,survey,,9,nps\n2024-05-01T10:00:00Z,q,purchase,50.00,,\n2024-05-20T10:00:00Z,q,survey,,10,nps\n2024-06-01T10:00:00Z,q,purchase,50.00,,\n2024-06-02T10:00:00Z,q,survey,,7,nps\n' > n.csv; klantreis lists ambassadors n.csv --as-of 2024-06-10
person,ids,reason,nps,scored_at,purchases,revenue_cents
p,p,promoter who bought again,9,2024-05-22T10:00:00Z,3,6000

$ klantreis lists next-purchase n.csv --as-of 2024-06-10
person,ids,reason,purchases,last_purchase_at,interval_days,days_since_last,overdue_days
p,p,usual purchase interval passed,3,2024-05-21T10:00:00Z,10.00,20,10.58

$ klantreis lists next-purchase n.csv --as-of 2024-06-10 --grace 11d
person,ids,reason,purchases,last_purchase_at,interval_days,days_since_last,overdue_days

$ klantreis lists at-risk n.csv --as-of 2024-06-10
person,ids,reason,segment,recency_days,frequency,monetary_cents,last_purchase_at

$ printf 'timestamp,user_id,event,value\n' > p.csv; for u in a b; do echo "2024-05-02T00:00:00Z,$u,purchase,100" >> p.csv; done; for u in c d e f; do echo "2024-05-02T00:00:00Z,$u,purchase,50" >> p.csv; done; for u in g h i j; do echo "2024-05-02T00:00:00Z,$u,purchase,10" >> p.csv; done; echo "2024-05-03T00:00:00Z,k,view," >> p.csv; echo "2024-06-01T00:00:00Z,c,purchase,200" >> p.csv; echo "2024-06-01T00:00:00Z,j,purchase,20" >> p.csv; klantreis lists win-back p.csv --tiers 10,20,30 --compare-to 2024-05-15
person,ids,reason,tier_before,tier_now,revenue_before_cents,revenue_now_cents
a,a,pyramid tier dropped,top,large,10000,10000
b,b,pyramid tier dropped,top,large,10000,10000
d,d,pyramid tier dropped,large,medium,5000,5000
e,e,pyramid tier dropped,large,medium,5000,5000
f,f,pyramid tier dropped,large,medium,5000,5000

# usage errors: win-back without --compare-to, an unknown list, a table format

$ klantreis lists win-back p.csv
[exit 1]

$ klantreis lists nope p.csv
[exit 1]

$ klantreis lists at-risk p.csv --format xml
[exit 1]
