# klantreis attribution on a small file worked out by hand (tests/unit/engine/test_attribution.c
# derives the same numbers):
#   ann:  email 10:00, search 11:00, ad 12:00, purchase 13:00 (10.00)
#         first email, last ad, linear 1/3 each, position .4/.2/.4, time decay (half-life 1h:
#         weights 1/8, 1/4, 1/2): email 1/7, search 2/7, ad 4/7
#   bob:  search 10:00, purchase 11:00 (5.00), email 12:00, email 13:00, purchase 14:00 (3.00)
#         each purchase gets the touches since the previous one: search, then email twice
#   dirk: social, never buys (a null path for Markov)
#   cees: ad 15 June, purchase 30 July (2.00): 45 days, outside the 30-day lookback: (no touch)
#   Markov: P(conversion) = 2/3 (paths email>search>ad>conv, search>conv, social>null);
#   removal effects email 1/2, search 1, ad 1/2, social 0: 3 touched purchases 0.75/1.5/0.75.

$ printf 'timestamp,user_id,event,channel,value\n2024-05-01T10:00:00Z,ann,page,email,\n2024-05-01T11:00:00Z,ann,page,search,\n2024-05-01T12:00:00Z,ann,page,ad,\n2024-05-01T13:00:00Z,ann,purchase,,10.00\n2024-05-01T10:00:00Z,bob,page,search,\n2024-05-01T11:00:00Z,bob,purchase,,5.00\n2024-05-01T12:00:00Z,bob,page,email,\n2024-05-01T13:00:00Z,bob,page,email,\n2024-05-01T14:00:00Z,bob,purchase,,3.00\n2024-05-01T10:00:00Z,dirk,page,social,\n2024-06-15T10:00:00Z,cees,page,ad,\n2024-07-30T10:00:00Z,cees,purchase,,2.00\n' > f.csv; klantreis attribution f.csv --conversion purchase --half-life 1h --format csv
channel,touches,removal_effect,first_touch_conversions,first_touch_revenue,last_touch_conversions,last_touch_revenue,linear_conversions,linear_revenue,time_decay_conversions,time_decay_revenue,position_based_conversions,position_based_revenue,markov_conversions,markov_revenue
email,3,0.500000,2.000000,13.00,1.000000,3.00,1.333333,6.33,1.142857,4.43,1.400000,7.00,0.750000,4.50
search,2,1.000000,1.000000,5.00,1.000000,5.00,1.333333,8.33,1.285714,7.86,1.200000,7.00,1.500000,9.00
ad,1,0.500000,0.000000,0.00,1.000000,10.00,0.333333,3.33,0.571429,5.71,0.400000,4.00,0.750000,4.50
social,0,0.000000,0.000000,0.00,0.000000,0.00,0.000000,0.00,0.000000,0.00,0.000000,0.00,0.000000,0.00
(no touch),0,,1.000000,2.00,1.000000,2.00,1.000000,2.00,1.000000,2.00,1.000000,2.00,1.000000,2.00

$ klantreis attribution f.csv --conversion purchase --half-life 1h --format table
conversion purchase: 4 conversions by 3 of 4 persons, 3 with a touch; revenue 20.00
markov: 4 states, P(conversion) 0.6667, 2 converting and 1 null paths

channel                   touches  removal       first        last      linear       decay    position      markov
email                           3    50.0%        2.00        1.00        1.33        1.14        1.40        0.75
search                          2   100.0%        1.00        1.00        1.33        1.29        1.20        1.50
ad                              1    50.0%        0.00        1.00        0.33        0.57        0.40        0.75
social                          0     0.0%        0.00        0.00        0.00        0.00        0.00        0.00
(no touch)                      0        -        1.00        1.00        1.00        1.00        1.00        1.00

revenue                        first        last      linear       decay    position      markov
email                          13.00        3.00        6.33        4.43        7.00        4.50
search                          5.00        5.00        8.33        7.86        7.00        9.00
ad                              0.00       10.00        3.33        5.71        4.00        4.50
social                          0.00        0.00        0.00        0.00        0.00        0.00
(no touch)                      2.00        2.00        2.00        2.00        2.00        2.00

$ klantreis attribution f.csv --conversion purchase --method markov --format csv
channel,touches,removal_effect,markov_conversions,markov_revenue
email,3,0.500000,0.750000,4.50
search,2,1.000000,1.500000,9.00
ad,1,0.500000,0.750000,4.50
social,0,0.000000,0.000000,0.00
(no touch),0,,1.000000,2.00

$ klantreis attribution f.csv --conversion purchase --method linear --lookback 90m --format csv
channel,touches,removal_effect,linear_conversions,linear_revenue
ad,1,0.500000,1.000000,10.00
email,1,0.000000,1.000000,3.00
search,1,0.500000,1.000000,5.00
social,0,0.000000,0.000000,0.00
(no touch),0,,1.000000,2.00

$ klantreis attribution f.csv --conversion purchase --method first --as-of 2024-05-01T12:00:00Z --format csv
channel,touches,removal_effect,first_touch_conversions,first_touch_revenue
search,1,1.000000,1.000000,5.00
ad,0,0.000000,0.000000,0.00
email,0,0.500000,0.000000,0.00
social,0,0.000000,0.000000,0.00

$ printf 'timestamp,user_id,event\n2024-05-01T10:00:00Z,a,page\n' > g.csv; klantreis attribution g.csv --conversion purchase --method thirds 2>&1; echo "exit $?"
klantreis attribution: --method takes first_touch, last_touch, linear, time_decay, position_based, markov or all
(see 'klantreis attribution --help')
exit 1
