# Real data excerpts (tests/data/README.md). Expected counts computed independently with
# Python's csv module over the same files (distinct users; sessions never span two users).

$ klantreis stats $DATA/rees46_head500.csv --map timestamp=event_time,event=event_type,anonymous_id=user_session,value=price --format csv
list,value,events
total,events,500
total,persons,198
total,accounts,0
event,view,495
event,purchase,4
event,cart,1
channel,,500
device,,500
type,track,500

$ klantreis stats $DATA/rees46_head500.csv --map timestamp=event_time,event=event_type,anonymous_id=user_session,value=price --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["events"], d["persons"], d["identified_persons"], d["revenue_cents"], d["first"], d["last"])'
500 198 198 14540665 2019-10-01T00:00:00Z 2019-10-01T00:08:23Z

$ klantreis stats $DATA/taobao_3users.csv --map event=behavior_type --format csv
list,value,events
total,events,234
total,persons,3
total,accounts,0
event,pv,206
event,fav,18
event,buy,8
event,cart,2
channel,,234
device,,234
type,track,234

$ klantreis stats $DATA/taobao_3users.csv --map event=behavior_type --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["first"], d["last"])'
2017-11-24T16:44:13Z 2017-12-03T12:26:27Z
