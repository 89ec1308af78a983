/*
 * emotion.c - NPS, CSAT, CES and emotion per touchpoint and phase, with 95% intervals, the
 * expected emotion and pain points (see emotion.h and docs/emotion.md): a pure function of
 * (table, model, compiled match, options) -> result.
 *
 *     kr_emotion_result r;
 *     kr_emotion_run(&r, table, NULL, NULL, NULL);   // per event name
 *     kr_emotion_finish(&r);
 *
 * One pass over the events sums the scores per key (counts, sums and sums of squares, so
 * phases are sums of their touchpoints); one pass per person finds the keys they had and
 * their last one, for the drop-off.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/emotion.h"

#define Z95 1.959963984540054

double kr_emotion_map(kr_score_scale scale, double s)
{
    switch (scale) {
    case KR_SCALE_CSAT:
        return s - 3.0;
    case KR_SCALE_NPS:
        return (s - 5.0) * 2.0 / 5.0;
    case KR_SCALE_CES:
        return (s - 4.0) * 2.0 / 3.0;
    case KR_SCALE_EMOTION:
        return s;
    default:
        return NAN;
    }
}

void kr_emotion_wilson(double *lo, double *hi, uint64_t k, uint64_t n, double z)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double denom = 1.0 + z2 / nn;
    double center = (p + z2 / (2 * nn)) / denom;
    double half = z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = center - half < 0 ? 0 : center - half;
    *hi = center + half > 1 ? 1 : center + half;
}

double kr_emotion_t975(uint64_t df)
{
    /* Exact to 4 decimals for df <= 30; above, the Cornish-Fisher expansion around the
       normal quantile (error below 1e-4 there). */
    static const double t[30] = {
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    };
    if (df == 0)
        return NAN;
    if (df <= 30)
        return t[df - 1];
    double z = Z95, v = (double)df;
    return z + (z * z * z + z) / (4 * v) + (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * v * v);
}

typedef struct acc {
    uint64_t count, nps_n, prom, pass, det, csat_n, csat_sat, ces_n;
    double ces_sum, ces_sq, emo_sum, emo_sq;
} acc;

static void acc_add(acc *a, const acc *b)
{
    a->count += b->count;
    a->nps_n += b->nps_n;
    a->prom += b->prom;
    a->pass += b->pass;
    a->det += b->det;
    a->csat_n += b->csat_n;
    a->csat_sat += b->csat_sat;
    a->ces_n += b->ces_n;
    a->ces_sum += b->ces_sum;
    a->ces_sq += b->ces_sq;
    a->emo_sum += b->emo_sum;
    a->emo_sq += b->emo_sq;
}

static void acc_score(acc *a, kr_score_scale scale, double s)
{
    double e = kr_emotion_map(scale, s);
    a->count++;
    a->emo_sum += e;
    a->emo_sq += e * e;
    if (scale == KR_SCALE_NPS) {
        a->nps_n++;
        a->prom += s >= 9;
        a->det += s <= 6;
        a->pass += s > 6 && s < 9;
    } else if (scale == KR_SCALE_CSAT) {
        a->csat_n++;
        a->csat_sat += s >= 4;
    } else if (scale == KR_SCALE_CES) {
        a->ces_n++;
        a->ces_sum += s;
        a->ces_sq += s * s;
    }
}

/* Mean and t interval from n values with this sum and sum of squares, the interval clamped
   to the scale [min, max]. */
static void mean_ci(double *mean, double *lo, double *hi, uint64_t n, double sum, double sq,
                    double min, double max)
{
    *mean = *lo = *hi = NAN;
    if (n == 0)
        return;
    double nn = (double)n;
    *mean = sum / nn;
    if (n < 2)
        return;
    double var = (sq - sum * sum / nn) / (nn - 1);
    double half = kr_emotion_t975(n - 1) * sqrt(var > 0 ? var : 0) / sqrt(nn);
    *lo = *mean - half < min ? min : *mean - half;
    *hi = *mean + half > max ? max : *mean + half;
}

static void finish_stats(kr_emotion_stats *s, const acc *a)
{
    memset(s, 0, sizeof *s);
    s->count = a->count;
    s->nps_count = a->nps_n;
    s->promoters = a->prom;
    s->passives = a->pass;
    s->detractors = a->det;
    double diff = 100.0 * ((double)a->prom - (double)a->det);
    mean_ci(&s->nps, &s->nps_lo, &s->nps_hi, a->nps_n, diff, 10000.0 * (double)(a->prom + a->det),
            -100, 100);
    s->csat_count = a->csat_n;
    s->csat_satisfied = a->csat_sat;
    s->csat = a->csat_n ? (double)a->csat_sat / (double)a->csat_n : NAN;
    kr_emotion_wilson(&s->csat_lo, &s->csat_hi, a->csat_sat, a->csat_n, Z95);
    s->ces_count = a->ces_n;
    mean_ci(&s->ces, &s->ces_lo, &s->ces_hi, a->ces_n, a->ces_sum, a->ces_sq, 1, 7);
    mean_ci(&s->emotion, &s->emotion_lo, &s->emotion_hi, a->count, a->emo_sum, a->emo_sq, -2, 2);
}

typedef struct key_count {
    uint32_t key;
    uint64_t count;
    kr_str name;
} key_count;

static int cmp_key_count(const void *pa, const void *pb)
{
    const key_count *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    size_t n = a->name.len < b->name.len ? a->name.len : b->name.len;
    int d = n ? memcmp(a->name.ptr, b->name.ptr, n) : 0;
    return d ? d : (a->name.len > b->name.len) - (a->name.len < b->name.len);
}

static const kr_emotion_row *pain_rows; /* qsort has no payload; kr_emotion_run not reentrant */

static int cmp_pain(const void *pa, const void *pb)
{
    const kr_emotion_row *a = &pain_rows[*(const size_t *)pa], *b = &pain_rows[*(const size_t *)pb];
    if (a->pain != b->pain)
        return a->pain < b->pain ? 1 : -1;
    return (*(const size_t *)pa > *(const size_t *)pb) -
           (*(const size_t *)pa < *(const size_t *)pb);
}

int kr_emotion_run(kr_emotion_result *out, const kr_table *t, const kr_model *m,
                   const kr_model_match *mm, const kr_emotion_options *o)
{
    static const kr_emotion_options defaults = KR_EMOTION_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    memset(out, 0, sizeof *out);
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const kr_model_info *info = m && mm ? kr_model_get(m) : NULL;
    const uint16_t *ev_tp = info ? kr_model_match_events(mm) : NULL;
    out->by_touchpoint = info != NULL;
    /* Keys: touchpoints and "(none)" last, or event-name codes. */
    size_t nkeys = info ? info->touchpoint_count + 1 : kr_table_dict_count(t, KR_DICT_NAME);
    int rc = KR_ENOMEM;
    acc *accs = calloc(nkeys ? nkeys : 1, sizeof *accs);
    uint64_t *persons = calloc(nkeys ? nkeys : 1, sizeof *persons);
    uint64_t *dropped = calloc(nkeys ? nkeys : 1, sizeof *dropped);
    uint32_t *stamp = calloc(nkeys ? nkeys : 1, sizeof *stamp);
    key_count *order = NULL;
    if (!accs || !persons || !dropped || !stamp)
        goto done;

    acc total = {0};
    for (size_t i = 0; i < c.count; i++) {
        if (!(c.flags[i] & KR_FLAG_HAS_SCORE) || !c.aux[i])
            continue;
        kr_score_scale scale = KR_FLAG_SCALE(c.flags[i]);
        if (scale == KR_SCALE_NONE || scale >= KR_SCALE_COUNT) {
            out->unscaled++;
            continue;
        }
        double s = c.score[c.aux[i] - 1];
        size_t key =
            info ? (ev_tp[i] == KR_MODEL_NONE ? info->touchpoint_count : ev_tp[i]) : c.name[i];
        acc_score(&accs[key], scale, s);
        acc_score(&total, scale, s);
    }
    finish_stats(&out->total, &total);

    /* Drop-off: the keys each person had, their last one, and whether they converted. */
    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t last = SIZE_MAX;
        uint64_t conv = 0;
        for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) {
            if (info && kr_model_match_goal_event(mm, &info->conversion, i))
                conv++;
            size_t key = info ? ev_tp[i] : c.name[i];
            if (info && ev_tp[i] == KR_MODEL_NONE)
                continue;
            last = key;
            if (stamp[key] != p + 1) {
                stamp[key] = p + 1;
                persons[key]++;
            }
        }
        bool converted = info && info->conversion.defined && conv >= info->conversion.min_count;
        if (last != SIZE_MAX && !converted)
            dropped[last]++;
    }

    if (info) {
        out->row_count = info->touchpoint_count + (accs[info->touchpoint_count].count > 0);
    } else {
        for (size_t k = 0; k < nkeys; k++)
            out->row_count += accs[k].count > 0;
    }
    out->rows = calloc(out->row_count ? out->row_count : 1, sizeof *out->rows);
    order = calloc(out->row_count ? out->row_count : 1, sizeof *order);
    if (!out->rows || !order)
        goto done;
    size_t n = 0;
    for (size_t k = 0; k < nkeys && n < out->row_count; k++) {
        if (info ? (k == info->touchpoint_count && !accs[k].count) : !accs[k].count)
            continue;
        order[n].key = (uint32_t)k;
        order[n].count = accs[k].count;
        order[n].name = info ? (k < info->touchpoint_count ? info->touchpoints[k].id
                                                           : kr_str_from_cstr("(none)"))
                             : kr_table_dict_get(t, KR_DICT_NAME, (uint32_t)k);
        n++;
    }
    if (!info)
        qsort(order, n, sizeof *order, cmp_key_count);
    for (size_t i = 0; i < n; i++) {
        kr_emotion_row *r = &out->rows[i];
        size_t k = order[i].key;
        r->key = order[i].name;
        r->phase = -1;
        if (info && k < info->touchpoint_count) {
            const kr_model_touchpoint *tp = &info->touchpoints[k];
            const kr_model_phase *ph = &info->phases[tp->phase];
            r->phase = (int32_t)tp->phase;
            r->has_expected = tp->has_expected_emotion || ph->has_expected_emotion;
            r->expected = tp->has_expected_emotion   ? tp->expected_emotion
                          : ph->has_expected_emotion ? ph->expected_emotion
                                                     : NAN;
        } else {
            r->expected = NAN;
        }
        finish_stats(&r->stats, &accs[k]);
        if (!info || k < info->touchpoint_count) {
            r->persons = persons[k];
            r->dropped = dropped[k];
        }
        r->drop_off = r->persons ? (double)r->dropped / (double)r->persons : NAN;
        r->pain = r->stats.count && r->persons ? (2.0 - r->stats.emotion) / 4.0 * r->drop_off : NAN;
    }

    if (info) {
        out->phase_count = info->phase_count;
        out->phases = calloc(info->phase_count ? info->phase_count : 1, sizeof *out->phases);
        if (!out->phases)
            goto done;
        for (size_t k = 0; k < info->phase_count; k++) {
            const kr_model_phase *ph = &info->phases[k];
            acc sum = {0};
            for (uint32_t j = 0; j < ph->touchpoint_count; j++)
                acc_add(&sum, &accs[ph->first_touchpoint + j]);
            out->phases[k].phase = (uint32_t)k;
            out->phases[k].has_expected = ph->has_expected_emotion;
            out->phases[k].expected = ph->has_expected_emotion ? ph->expected_emotion : NAN;
            finish_stats(&out->phases[k].stats, &sum);
        }
    }

    out->pain = calloc(out->row_count ? out->row_count : 1, sizeof *out->pain);
    if (!out->pain)
        goto done;
    for (size_t i = 0; i < out->row_count; i++)
        if (!isnan(out->rows[i].pain))
            out->pain[out->pain_count++] = i;
    pain_rows = out->rows;
    qsort(out->pain, out->pain_count, sizeof *out->pain, cmp_pain);
    if (out->pain_count > o->top)
        out->pain_count = o->top;
    rc = KR_OK;
done:
    free(accs);
    free(persons);
    free(dropped);
    free(stamp);
    free(order);
    return rc;
}

void kr_emotion_finish(kr_emotion_result *r)
{
    free(r->rows);
    free(r->phases);
    free(r->pain);
    memset(r, 0, sizeof *r);
}
