/*
 * attribution.c - credit for conversions per channel or touchpoint under six models (see
 * attribution.h and docs/attribution.md): a pure function of (table, options) -> result.
 *
 *     kr_attribution_options o = KR_ATTRIBUTION_OPTIONS_INIT;
 *     o.conversion = "purchase";
 *     kr_attribution_result r;
 *     kr_attribution_run(&r, table, &o, err, sizeof err);
 *     kr_attribution_finish(&r);
 *
 * One pass over each person's events (sorted by time) keeps the touches since the previous
 * conversion; at a conversion the touches within the lookback are credited under the five
 * rule-based models at once. The Markov paths' transitions are collected as (from, to) pairs,
 * counted after the pass, and the chain is solved exactly: the conversion probability from
 * each state is the solution of (I - Q) p = r (Q: transitions between channels, r: into the
 * conversion state), by Gaussian elimination with partial pivoting, once for the full chain
 * and once per removed channel (its row replaced by p_c = 0: who reaches it is lost).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klantreis/attribution.h"

static const char *const model_names[KR_ATTR_MODEL_COUNT] = {
    "first_touch", "last_touch", "linear", "time_decay", "position_based", "markov",
};

const char *kr_attribution_model_name(kr_attribution_model m)
{
    return (unsigned)m < KR_ATTR_MODEL_COUNT ? model_names[m] : "";
}

int kr_attribution_model_parse(kr_attribution_model *out, const char *name)
{
    static const struct {
        const char *name;
        kr_attribution_model m;
    } aliases[] = {
        {"first", KR_ATTR_FIRST},        {"last", KR_ATTR_LAST},
        {"position", KR_ATTR_POSITION},  {"data_driven", KR_ATTR_MARKOV},
        {"data-driven", KR_ATTR_MARKOV}, {"time-decay", KR_ATTR_DECAY},
        {"decay", KR_ATTR_DECAY},
    };
    for (int i = 0; i < KR_ATTR_MODEL_COUNT; i++)
        if (strcmp(name, model_names[i]) == 0) {
            *out = (kr_attribution_model)i;
            return KR_OK;
        }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(name, aliases[i].name) == 0) {
            *out = aliases[i].m;
            return KR_OK;
        }
    return KR_EINVAL;
}

/* Solves a x = b in place (a: n x n, row-major; b becomes x). Partial pivoting; a singular
   pivot (no path to absorption, not possible for a chain built from paths) gives x = 0 there. */
static void solve(double *a, double *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t piv = k;
        for (size_t i = k + 1; i < n; i++)
            if (fabs(a[i * n + k]) > fabs(a[piv * n + k]))
                piv = i;
        if (piv != k) {
            for (size_t j = 0; j < n; j++) {
                double tmp = a[k * n + j];
                a[k * n + j] = a[piv * n + j];
                a[piv * n + j] = tmp;
            }
            double tmp = b[k];
            b[k] = b[piv];
            b[piv] = tmp;
        }
        double d = a[k * n + k];
        if (fabs(d) < 1e-300)
            continue;
        for (size_t i = k + 1; i < n; i++) {
            double f = a[i * n + k] / d;
            if (f == 0.0)
                continue;
            for (size_t j = k; j < n; j++)
                a[i * n + j] -= f * a[k * n + j];
            b[i] -= f * b[k];
        }
    }
    for (size_t k = n; k-- > 0;) {
        double s = b[k];
        for (size_t j = k + 1; j < n; j++)
            s -= a[k * n + j] * b[j];
        double d = a[k * n + k];
        b[k] = fabs(d) < 1e-300 ? 0.0 : s / d;
    }
}

/* P(start reaches conversion) with state `removed` (n = none) sending everyone to null. */
static double p_conversion(double *a, double *b, const double *q, const double *r,
                           const double *start, double start_sum, size_t n, size_t removed)
{
    if (start_sum <= 0)
        return 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            a[i * n + j] = (i == j) - q[i * n + j];
        b[i] = r[i];
    }
    if (removed < n) {
        for (size_t j = 0; j < n; j++)
            a[removed * n + j] = removed == j;
        b[removed] = 0.0;
    }
    solve(a, b, n);
    double p = 0.0;
    for (size_t j = 0; j < n; j++)
        p += start[j] / start_sum * b[j];
    return p;
}

int kr_attribution_markov(double *removal_effect, double *p_conv, const double *start,
                          const double *trans, size_t n)
{
    if (n > KR_ATTR_MARKOV_MAX_STATES)
        return KR_EINVAL;
    size_t nn = n ? n : 1;
    double *q = calloc(nn * nn, sizeof *q), *a = malloc(nn * nn * sizeof *a);
    double *r = calloc(nn, sizeof *r), *b = malloc(nn * sizeof *b);
    int rc = KR_ENOMEM;
    if (!q || !a || !r || !b)
        goto done;
    /* Transition probabilities; a state without transitions out goes to null. */
    for (size_t i = 0; i < n; i++) {
        const double *row = &trans[i * (n + 2)];
        double sum = 0.0;
        for (size_t j = 0; j < n + 2; j++)
            sum += row[j];
        if (sum <= 0)
            continue;
        for (size_t j = 0; j < n; j++)
            q[i * n + j] = row[j] / sum;
        r[i] = row[n] / sum;
    }
    double start_sum = 0.0;
    for (size_t j = 0; j < n; j++)
        start_sum += start[j];
    double p = p_conversion(a, b, q, r, start, start_sum, n, n);
    *p_conv = p;
    for (size_t c = 0; c < n; c++) {
        double pc = p_conversion(a, b, q, r, start, start_sum, n, c);
        removal_effect[c] = p > 0 ? 1.0 - pc / p : 0.0;
        if (removal_effect[c] < 0) /* rounding: removing a state never raises P */
            removal_effect[c] = 0.0;
    }
    rc = KR_OK;
done:
    free(q);
    free(a);
    free(r);
    free(b);
    return rc;
}

/* A growable array of uint64 (touches, transitions); grows without a cap because it is
   bounded by the table's events. */
typedef struct vec64 {
    uint64_t *v;
    size_t count, cap;
} vec64;

static int vec_push(vec64 *x, uint64_t val)
{
    if (x->count == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        uint64_t *p = realloc(x->v, cap * sizeof *p);
        if (!p)
            return KR_ENOMEM;
        x->v = p;
        x->cap = cap;
    }
    x->v[x->count++] = val;
    return KR_OK;
}

typedef struct touch {
    uint32_t key;
    int64_t time_ms;
} touch;

typedef struct acc {
    uint64_t touches, path_touches;
    double conv[KR_ATTR_MODEL_COUNT];
    double rev[KR_ATTR_MODEL_COUNT];
} acc;

static int str_cmp(kr_str a, kr_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int d = n ? memcmp(a.ptr, b.ptr, n) : 0;
    return d ? d : (a.len > b.len) - (a.len < b.len);
}

static int cmp_row(const void *pa, const void *pb)
{
    const kr_attribution_row *a = pa, *b = pb;
    if (a->no_touch != b->no_touch)
        return a->no_touch ? 1 : -1;
    double x = a->conversions[KR_ATTR_LINEAR], y = b->conversions[KR_ATTR_LINEAR];
    if (fabs(x - y) > 1e-9)
        return x < y ? 1 : -1;
    return str_cmp(a->key, b->key);
}

/* Credits one conversion (value cents) to the window w[0..n) under the rule-based models. */
static void credit(acc *accs, const touch *w, size_t n, int64_t t_conv, double value,
                   double half_life)
{
    accs[w[0].key].conv[KR_ATTR_FIRST] += 1.0;
    accs[w[0].key].rev[KR_ATTR_FIRST] += value;
    accs[w[n - 1].key].conv[KR_ATTR_LAST] += 1.0;
    accs[w[n - 1].key].rev[KR_ATTR_LAST] += value;
    double wsum = 0.0;
    for (size_t i = 0; i < n; i++)
        wsum += exp2(-(double)(t_conv - w[i].time_ms) / half_life);
    for (size_t i = 0; i < n; i++) {
        acc *a = &accs[w[i].key];
        a->touches++;
        a->conv[KR_ATTR_LINEAR] += 1.0 / (double)n;
        a->rev[KR_ATTR_LINEAR] += value / (double)n;
        double d = exp2(-(double)(t_conv - w[i].time_ms) / half_life) / wsum;
        a->conv[KR_ATTR_DECAY] += d;
        a->rev[KR_ATTR_DECAY] += value * d;
        double pos = n == 1                   ? 1.0
                     : n == 2                 ? 0.5
                     : (i == 0 || i == n - 1) ? 0.4
                                              : 0.2 / (double)(n - 2);
        a->conv[KR_ATTR_POSITION] += pos;
        a->rev[KR_ATTR_POSITION] += value * pos;
    }
}

/* Records the Markov path w[0..n) ending in `end` (key_space: conversion, +1: null). */
static int add_path(vec64 *trans, acc *accs, const touch *w, size_t n, uint32_t key_space,
                    bool converted)
{
    if (n == 0)
        return KR_OK;
    uint64_t start = (uint64_t)key_space + 2;
    uint64_t from = start;
    for (size_t i = 0; i < n; i++) {
        accs[w[i].key].path_touches++;
        if (vec_push(trans, from << 32 | w[i].key) < 0)
            return KR_ENOMEM;
        from = w[i].key;
    }
    uint64_t end = converted ? key_space : (uint64_t)key_space + 1;
    return vec_push(trans, from << 32 | end);
}

/* Counts the transitions, solves the chain, writes each key's removal effect to re_key and
   spreads the touched conversions and revenue over the keys. */
static int run_markov(kr_attribution_result *out, acc *accs, vec64 *trans, uint32_t key_space,
                      double *re_key)
{
    int rc = KR_ENOMEM;
    uint32_t *state = malloc(((size_t)key_space + 1) * sizeof *state); /* key -> state + 1 */
    uint32_t *keys = NULL;
    double *start = NULL, *tr = NULL, *re = NULL;
    if (!state)
        goto done;
    size_t n = 0;
    for (uint32_t k = 0; k < key_space; k++)
        state[k] = accs[k].path_touches ? (uint32_t)++n : 0;
    out->markov_states = n;
    if (n > KR_ATTR_MARKOV_MAX_STATES) {
        rc = KR_OK; /* markov_ok stays false */
        goto done;
    }
    size_t nn = n ? n : 1;
    keys = malloc(nn * sizeof *keys);
    start = calloc(nn, sizeof *start);
    tr = calloc(nn * (nn + 2), sizeof *tr);
    re = calloc(nn, sizeof *re);
    if (!keys || !start || !tr || !re)
        goto done;
    for (uint32_t k = 0; k < key_space; k++)
        if (state[k])
            keys[state[k] - 1] = k;
    for (size_t i = 0; i < trans->count; i++) {
        uint64_t from = trans->v[i] >> 32, to = trans->v[i] & 0xFFFFFFFFu;
        size_t j = to == key_space ? n : to == (uint64_t)key_space + 1 ? n + 1 : state[to] - 1;
        if (from == (uint64_t)key_space + 2)
            start[j] += 1.0;
        else
            tr[(state[from] - 1) * (n + 2) + j] += 1.0;
    }
    if ((rc = kr_attribution_markov(re, &out->p_conversion, start, tr, n)) < 0)
        goto done;
    double re_sum = 0.0;
    for (size_t s = 0; s < n; s++)
        re_sum += re[s];
    for (size_t s = 0; s < n; s++) {
        acc *a = &accs[keys[s]];
        double share = re_sum > 0 ? re[s] / re_sum : 0.0;
        re_key[keys[s]] = re[s];
        a->conv[KR_ATTR_MARKOV] = (double)out->touched_conversions * share;
        a->rev[KR_ATTR_MARKOV] = (double)out->touched_revenue_cents * share;
    }
    out->markov_ok = true;
    rc = KR_OK;
done:
    free(state);
    free(keys);
    free(start);
    free(tr);
    free(re);
    return rc;
}

int kr_attribution_run(kr_attribution_result *out, const kr_table *t,
                       const kr_attribution_options *o, char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (errlen)
        errbuf[0] = '\0';
    if (!o->conversion || !*o->conversion) {
        snprintf(errbuf, errlen, "name the conversion event");
        return KR_EINVAL;
    }
    if (o->lookback_ms <= 0 || o->half_life_ms <= 0) {
        snprintf(errbuf, errlen, "the lookback and the half-life must be positive");
        return KR_EINVAL;
    }
    if (o->touch == KR_ATTR_TOUCH_TAG && (!o->tags || !o->tag_names)) {
        snprintf(errbuf, errlen, "touchpoints need a journey model");
        return KR_EINVAL;
    }
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    out->persons = c.person_count;
    int64_t as_of = INT64_MIN;
    if (o->has_as_of) {
        as_of = o->as_of_ms;
    } else {
        for (size_t i = 0; i < c.count; i++)
            as_of = c.time_ms[i] > as_of ? c.time_ms[i] : as_of;
        if (!c.count)
            as_of = 0;
    }
    out->as_of_ms = as_of;
    uint32_t conv_code = 0;
    bool has_conv =
        kr_table_dict_find(t, KR_DICT_NAME, kr_str_from_cstr(o->conversion), &conv_code) == KR_OK;
    uint32_t key_space = o->touch == KR_ATTR_TOUCH_TAG ? (uint32_t)o->tag_count
                                                       : kr_table_dict_count(t, KR_DICT_CHANNEL);
    double half_life = (double)o->half_life_ms;

    int rc = KR_ENOMEM;
    acc *accs = calloc((size_t)key_space + 1, sizeof *accs); /* [key_space]: (no touch) */
    touch *buf = NULL;
    size_t buf_cap = 0;
    vec64 trans = {NULL, 0, 0};
    double *per_key_re = NULL;
    if (!accs)
        goto done;
    for (uint32_t p = 0; p < c.person_count; p++) {
        size_t n = 0, end = c.person_start[p + 1];
        bool converted = false;
        /* Events in groups of equal time: the group's touches first, then its conversions,
           so a touch at the same millisecond as a conversion counts for it whatever the
           input order. */
        for (size_t g = c.person_start[p], gend; g < end && c.time_ms[g] <= as_of; g = gend) {
            int64_t tg = c.time_ms[g];
            for (gend = g; gend < end && c.time_ms[gend] == tg; gend++) {
                if (has_conv && c.name[gend] == conv_code)
                    continue;
                uint32_t key;
                if (o->touch == KR_ATTR_TOUCH_TAG) {
                    key = o->tags[gend];
                    if (key >= key_space)
                        continue;
                } else {
                    key = c.channel[gend];
                    if (key == 0)
                        continue;
                }
                if (n == buf_cap) {
                    size_t cap = buf_cap ? buf_cap * 2 : 64;
                    touch *nb = realloc(buf, cap * sizeof *nb);
                    if (!nb)
                        goto done;
                    buf = nb;
                    buf_cap = cap;
                }
                buf[n++] = (touch){key, tg};
            }
            for (size_t i = g; has_conv && i < gend; i++) {
                if (c.name[i] != conv_code)
                    continue;
                int64_t v =
                    c.aux[i] && (c.flags[i] & KR_FLAG_HAS_VALUE) ? c.value_cents[c.aux[i] - 1] : 0;
                double value = (double)v;
                out->conversions++;
                out->revenue_cents += v;
                size_t lo = 0;
                while (lo < n && tg - buf[lo].time_ms > o->lookback_ms)
                    lo++;
                if (lo < n) {
                    out->touched_conversions++;
                    out->touched_revenue_cents += v;
                    credit(accs, &buf[lo], n - lo, tg, value, half_life);
                } else {
                    for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++) {
                        accs[key_space].conv[m] += 1.0;
                        accs[key_space].rev[m] += value;
                    }
                }
                /* buf is NULL until a person has had a touch: no pointer arithmetic on it */
                if (!converted &&
                    add_path(&trans, accs, buf ? buf + lo : NULL, n - lo, key_space, true) < 0)
                    goto done;
                converted = true;
                n = 0;
            }
        }
        out->converted_persons += converted;
        if (!converted && add_path(&trans, accs, buf, n, key_space, false) < 0)
            goto done;
    }
    for (size_t i = 0; i < trans.count; i++) {
        uint64_t to = trans.v[i] & 0xFFFFFFFFu;
        out->paths_converting += to == key_space;
        out->paths_null += to == (uint64_t)key_space + 1;
    }
    per_key_re = calloc((size_t)key_space + 1, sizeof *per_key_re);
    if (!per_key_re)
        goto done;
    if ((rc = run_markov(out, accs, &trans, key_space, per_key_re)) < 0)
        goto done;
    rc = KR_ENOMEM;
    size_t rows = 0;
    for (uint32_t k = 0; k <= key_space; k++)
        rows += accs[k].touches || accs[k].path_touches || (k == key_space && accs[k].conv[0] > 0);
    out->rows = calloc(rows ? rows : 1, sizeof *out->rows);
    if (!out->rows)
        goto done;
    for (uint32_t k = 0; k <= key_space; k++) {
        const acc *a = &accs[k];
        if (!(a->touches || a->path_touches || (k == key_space && a->conv[0] > 0)))
            continue;
        kr_attribution_row *r = &out->rows[out->row_count++];
        if (k == key_space) {
            r->key = kr_str_from_cstr("(no touch)");
            r->no_touch = true;
        } else {
            r->key = o->touch == KR_ATTR_TOUCH_TAG ? o->tag_names[k]
                                                   : kr_table_dict_get(t, KR_DICT_CHANNEL, k);
        }
        r->touches = a->touches;
        r->path_touches = a->path_touches;
        r->removal_effect = per_key_re[k];
        for (int m = 0; m < KR_ATTR_MODEL_COUNT; m++) {
            r->conversions[m] = a->conv[m];
            r->revenue_cents[m] = a->rev[m];
        }
        if (!out->markov_ok && !r->no_touch) {
            r->conversions[KR_ATTR_MARKOV] = NAN;
            r->revenue_cents[KR_ATTR_MARKOV] = NAN;
        }
    }
    qsort(out->rows, out->row_count, sizeof *out->rows, cmp_row);
    rc = KR_OK;
done:
    free(accs);
    free(buf);
    free(trans.v);
    free(per_key_re);
    return rc;
}

void kr_attribution_finish(kr_attribution_result *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}
