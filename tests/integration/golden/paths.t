# klantreis paths and sessions on a small file worked out by hand (docs/paths.md):
#   ann:  view 10:00, view 10:01, cart 10:05, buy 10:10 (email, email, -, -; mobile)
#         -> view > cart > buy (the repeated view is one step); one session of 10m, 4 events
#   bob:  view 10:00, view 10:30, cart 11:00:01 (search, search, -; desktop)
#         -> view > cart; sessions at 30m: [view view] (a gap of exactly 30m stays) lasting 30m,
#            and [cart] (a gap of 30m1s starts one) lasting 0
#   cees: home 09:00, view 09:10, cart 09:20 (ad, ad, -; desktop)
#         -> home > view > cart; one session of 20m, 3 events
# Sessions: durations 0, 10m, 20m, 30m: nearest-rank median 10m, p90 30m; a gap of 1801s joins
# bob's sessions (3 sessions, mean (10m + 60m1s + 20m) / 3). A --from value the data lacks gives
# no paths and no error. After drop-off at cart of view,cart,buy: bob and cees (from their
# cart); per session, bob's first session (view, and its cart comes in the next session). Comments can only stand here: lines after a command are its output.

$ printf 'timestamp,user_id,event,channel,device\n2024-05-01T10:00:00Z,ann,view,email,mobile\n2024-05-01T10:01:00Z,ann,view,email,mobile\n2024-05-01T10:05:00Z,ann,cart,,mobile\n2024-05-01T10:10:00Z,ann,buy,,mobile\n2024-05-01T10:00:00Z,bob,view,search,desktop\n2024-05-01T10:30:00Z,bob,view,search,desktop\n2024-05-01T11:00:01Z,bob,cart,,desktop\n2024-05-01T09:00:00Z,cees,home,ad,desktop\n2024-05-01T09:10:00Z,cees,view,ad,desktop\n2024-05-01T09:20:00Z,cees,cart,,desktop\n' > f.csv; klantreis paths f.csv --format table
persons with a path: 3, distinct paths: 3

   #    persons   share  path (event, at most 5 steps)
   1          1   33.3%  home > view > cart
   2          1   33.3%  view > cart
   3          1   33.3%  view > cart > buy

$ klantreis paths f.csv --format csv --to cart
rank,persons,share,steps,path
1,2,0.666667,2,view > cart
2,1,0.333333,3,home > view > cart

$ klantreis paths f.csv --format csv --from view --depth 2
rank,persons,share,steps,path
1,3,1.000000,2,view > cart

$ klantreis paths f.csv --format csv --of channel
rank,persons,share,steps,path
1,1,0.333333,1,ad
2,1,0.333333,1,email
3,1,0.333333,1,search

$ klantreis paths f.csv --per session --depth 2 --format json
{
  "of": "event",
  "per": "session",
  "depth": 2,
  "from": null,
  "to": null,
  "sessions": 4,
  "distinct_paths": 4,
  "session_gap_ms": 1800000,
  "paths": [
    {
      "path": [
        "cart"
      ],
      "sessions": 1,
      "share": 0.25
    },
    {
      "path": [
        "home",
        "view"
      ],
      "sessions": 1,
      "share": 0.25
    },
    {
      "path": [
        "view"
      ],
      "sessions": 1,
      "share": 0.25
    },
    {
      "path": [
        "view",
        "cart"
      ],
      "sessions": 1,
      "share": 0.25
    }
  ],
  "sankey": {
    "nodes": [
      {
        "id": "0:view",
        "step": 0,
        "name": "view",
        "value": 2
      },
      {
        "id": "0:cart",
        "step": 0,
        "name": "cart",
        "value": 1
      },
      {
        "id": "0:home",
        "step": 0,
        "name": "home",
        "value": 1
      },
      {
        "id": "1:cart",
        "step": 1,
        "name": "cart",
        "value": 1
      },
      {
        "id": "1:view",
        "step": 1,
        "name": "view",
        "value": 1
      }
    ],
    "links": [
      {
        "source": "0:home",
        "target": "1:view",
        "value": 1
      },
      {
        "source": "0:view",
        "target": "1:cart",
        "value": 1
      }
    ]
  }
}

$ klantreis paths f.csv --per session --session-gap 29m --format csv
rank,sessions,share,steps,path
1,2,0.400000,1,view
2,1,0.200000,1,cart
3,1,0.200000,3,home > view > cart
4,1,0.200000,3,view > cart > buy

$ klantreis paths $DATA/journey_small.csv --of touchpoint --model $DATA/journey_small.yaml --format csv
rank,persons,share,steps,path
1,1,0.200000,1,a
2,1,0.200000,3,a > b > c
3,1,0.200000,3,a > b2 > a
4,1,0.200000,2,a > c
5,1,0.200000,2,b > a

$ klantreis sessions f.csv --format table
sessions             4 (gap > 30m 0s)
persons              3
sessions per person  mean 1.33, median 1
duration             median 10m 0s, mean 15m 0s, p90 30m 0s
events per session   mean 2.50, median 2

device                 sessions   share  mean duration mean events
desktop                       3   75.0%        16m 40s        2.00
mobile                        1   25.0%         10m 0s        4.00

$ klantreis sessions f.csv --format csv
device,sessions,share,mean_duration_ms,mean_events
desktop,3,0.750000,1000000.0,2.0000
mobile,1,0.250000,600000.0,4.0000
(all),4,1.000000,900000.0,2.5000

$ klantreis sessions f.csv --session-gap 1801s --format json
{
  "session_gap_ms": 1801000,
  "sessions": 3,
  "persons": 3,
  "events": 10,
  "sessions_per_person": {
    "mean": 1.0,
    "median": 1
  },
  "duration_ms": {
    "median": 1200000,
    "mean": 1800333.3333333333,
    "p90": 3601000
  },
  "events_per_session": {
    "mean": 3.3333333333333335,
    "median": 3
  },
  "by_device": [
    {
      "device": "desktop",
      "sessions": 2,
      "share": 0.66666666666666663,
      "mean_duration_ms": 2400500.0,
      "mean_events": 3.0
    },
    {
      "device": "mobile",
      "sessions": 1,
      "share": 0.33333333333333331,
      "mean_duration_ms": 600000.0,
      "mean_events": 4.0
    }
  ]
}

$ klantreis paths f.csv --sankey --format csv
step,source,target,persons
1,view,cart,2
1,home,view,1
2,cart,buy,1
2,view,cart,1

$ klantreis paths f.csv --steps view,cart,buy --after-drop-off 2 --format csv
rank,persons,share,steps,path
1,2,1.000000,1,cart

$ klantreis paths f.csv --steps view,cart --after-drop-off 1 --per session --format csv
rank,sessions,share,steps,path
1,1,1.000000,1,view

$ klantreis paths f.csv --steps view,cart --after-drop-off 2 2>&1 | head -1
klantreis paths: --after-drop-off 2: give a step before the last of the 2 steps

$ klantreis paths f.csv --after-drop-off 1
[exit 1]

$ klantreis paths f.csv --from nothing --format csv
rank,persons,share,steps,path

$ klantreis paths f.csv --depth 0 2>&1 | head -1
klantreis paths: --depth takes a number from 1 to 32

$ klantreis paths f.csv --depth 0
[exit 1]

$ klantreis paths f.csv --session-gap 10m 2>&1 | head -1
klantreis paths: --session-gap goes with --per session

$ klantreis paths f.csv --of phase
[exit 1]

$ klantreis paths f.csv --model journey.yaml 2>&1 | head -1
klantreis paths: --model and --template go with --of touchpoint

$ klantreis paths f.csv --of touchpoint --model nope.yaml
[exit 2]

$ klantreis sessions f.csv --session-gap soon
[exit 1]

$ klantreis paths --help | head -1
usage: klantreis paths [OPTIONS] [SOURCE]

$ klantreis sessions --help | head -1
usage: klantreis sessions [OPTIONS] [SOURCE]
