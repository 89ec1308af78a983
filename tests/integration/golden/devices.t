# klantreis devices on a small file worked out by hand:
#   ann:  mobile view, desktop view, desktop purchase  {desktop,mobile} mobile → desktop, converted on desktop
#   bob:  mobile view, mobile purchase, desktop view   {desktop,mobile} mobile → desktop, converted on mobile
#   cees: desktop view, desktop purchase               desktop only, converted
#   dirk: mobile view                                  mobile only
#   eva:  email without a device                       no device
# single device: cees, dirk: 1 of 2 converted (0.5); mobile then desktop: ann, bob, of whom ann
# converted on desktop (0.5): lift 0.5 / 0.5 - 1 = 0

$ printf 'timestamp,user_id,event,device\n2024-05-01T10:00:00Z,ann,view,mobile\n2024-05-02T10:00:00Z,ann,view,desktop\n2024-05-02T10:05:00Z,ann,purchase,desktop\n2024-05-01T10:00:00Z,bob,view,mobile\n2024-05-01T10:10:00Z,bob,purchase,mobile\n2024-05-03T10:00:00Z,bob,view,desktop\n2024-05-01T09:00:00Z,cees,view,desktop\n2024-05-01T09:30:00Z,cees,purchase,desktop\n2024-05-01T08:00:00Z,dirk,view,mobile\n2024-05-01T08:00:00Z,eva,email,\n' > f.csv; klantreis devices f.csv --format csv
kind,group,persons,converted,rate
devices,desktop+mobile,2,2,1.000000
devices,desktop,1,1,1.000000
devices,mobile,1,0,0.000000
path,mobile → desktop,2,2,1.000000
path,desktop only,1,1,1.000000
path,mobile only,1,0,0.000000
single_device,,2,1,0.500000
cross_device,,2,1,0.500000

$ klantreis devices f.csv --format table
devices                             persons  converted     rate
desktop+mobile                            2          2   100.0%
desktop                                   1          1   100.0%
mobile                                    1          0     0.0%

path                                persons  converted     rate
mobile → desktop                          2          2   100.0%
desktop only                              1          1   100.0%
mobile only                               1          0     0.0%

no device: 1 persons, 0 converted
single device: 2 persons, 50.0% converted
first on mobile, also on desktop: 2 persons, 50.0% converted on desktop
lift: +0.0%

$ klantreis devices f.csv --conversion view --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["single_device"], d["cross_device"]["converted"], d["lift"])'
{'persons': 2, 'converted': 2, 'rate': 1.0} 0 -1.0

$ klantreis devices f.csv --colour red 2>&1; echo "exit $?"
devices: unrecognized option '--colour'
klantreis devices: unknown or incomplete option
(see 'klantreis devices --help')
exit 1
