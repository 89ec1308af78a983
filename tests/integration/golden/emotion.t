# klantreis emotion on a small file worked out by hand (tests/unit/engine/test_emotion.c
# derives the same numbers):
#   survey (nps): 9, 10, 10, 8 - no detractors: NPS 75; per answer +100 x3 and 0: sd 50,
#                 t(3) = 3.1824: 75 -+ 79.56 -> [-4.56, 100 (clamped)]; emotion (s-5)x2/5:
#                 1.6, 2, 2, 1.2 -> mean 1.7
#   review (csat): 5, 4, 3, 2, 5 - CSAT 3/5 = 60%, Wilson [0.2307, 0.8824]; emotion s-3:
#                 2, 1, 0, -1, 2 -> mean 0.8, sd sqrt(1.7), t(4) = 2.7764 -> [-0.82, 2 (clamped)]
#   drop-off without a model: the person's last event; every review is someone's last event
#   (100%), no survey is (0%); pain = (2 - emotion)/4 x drop-off: review 0.3, survey 0.
# With the five-phases template: survey is touchpoint enquete (phase service, expected +1),
# review is touchpoint review (phase loyaliteit, expected +2).

$ printf 'timestamp,user_id,event,score,score_scale\n2024-05-01T10:00:00Z,ann,survey,9,nps\n2024-05-01T10:00:00Z,bob,survey,10,nps\n2024-05-01T10:00:00Z,cees,survey,10,nps\n2024-05-01T10:00:00Z,dirk,survey,8,nps\n2024-05-01T11:00:00Z,ann,review,5,csat\n2024-05-01T11:00:00Z,bob,review,4,csat\n2024-05-01T11:00:00Z,cees,review,3,csat\n2024-05-01T11:00:00Z,dirk,review,2,csat\n2024-05-01T11:00:00Z,eva,review,5,csat\n' > e.csv; klantreis emotion e.csv --format csv
level,key,phase,scores,nps_count,promoters,passives,detractors,nps,nps_lo,nps_hi,csat_count,csat_satisfied,csat,csat_lo,csat_hi,ces_count,ces,ces_lo,ces_hi,emotion,emotion_lo,emotion_hi,expected_emotion,persons,dropped,drop_off,pain,pain_rank
event,review,,5,0,0,0,0,,,,5,3,0.600000,0.230724,0.882379,0,,,,0.800000,-0.818905,2.000000,,5,5,1.000000,0.300000,1
event,survey,,4,4,3,1,0,75.000000,-4.560000,100.000000,0,0,,,,0,,,,1.700000,1.090617,2.000000,,4,0,0.000000,0.000000,2
all,(all),,9,4,3,1,0,75.000000,-4.560000,100.000000,5,3,0.600000,0.230724,0.882379,0,,,,1.200000,0.382896,2.000000,,,,,,

$ klantreis emotion e.csv --format table
event                  phase          scores    NPS 95% CI            CSAT 95% CI          CES    emo 95% CI        expected drop-off
review                                     5      - -                60.0% [23.1,88.2]       -  +0.80 [-0.82,2.00]         -   100.0%
survey                                     4   75.0 [-4.6,100.0]         - -                 -  +1.70 [1.09,2.00]          -     0.0%
(all)                                      9   75.0 [-4.6,100.0]     60.0% [23.1,88.2]       -  +1.20 [0.38,2.00]  

pain points (pain = (2 - emotion)/4 x drop-off):
  1. review                 emotion +0.80, drop-off 100.0%, pain 0.300
  2. survey                 emotion +1.70, drop-off 0.0%, pain 0.000

$ klantreis emotion e.csv --template five-phases --format csv | grep -v ',0,0,0,0,0,'
level,key,phase,scores,nps_count,promoters,passives,detractors,nps,nps_lo,nps_hi,csat_count,csat_satisfied,csat,csat_lo,csat_hi,ces_count,ces,ces_lo,ces_hi,emotion,emotion_lo,emotion_hi,expected_emotion,persons,dropped,drop_off,pain,pain_rank
touchpoint,enquete,service,4,4,3,1,0,75.000000,-4.560000,100.000000,0,0,,,,0,,,,1.700000,1.090617,2.000000,1.000000,4,0,0.000000,0.000000,2
touchpoint,review,loyaliteit,5,0,0,0,0,,,,5,3,0.600000,0.230724,0.882379,0,,,,0.800000,-0.818905,2.000000,2.000000,5,5,1.000000,0.300000,1
phase,service,service,4,4,3,1,0,75.000000,-4.560000,100.000000,0,0,,,,0,,,,1.700000,1.090617,2.000000,1.000000,,,,,
phase,loyaliteit,loyaliteit,5,0,0,0,0,,,,5,3,0.600000,0.230724,0.882379,0,,,,0.800000,-0.818905,2.000000,2.000000,,,,,
all,(all),,9,4,3,1,0,75.000000,-4.560000,100.000000,5,3,0.600000,0.230724,0.882379,0,,,,1.200000,0.382896,2.000000,,,,,,

$ klantreis emotion e.csv --model nope.yaml 2>/dev/null; echo "exit $?"
exit 2
