/*
 * gen_events.c - writes N synthetic events as canonical CSV, fast and deterministic, for the
 * benchmarks. Usage: kr_gen_events N [--seed S] [--out FILE]   (N: 1M, 10M, 100M or a number)
 *
 * Shape: about N/20 persons with a skewed number of events each (a few heavy users, many with
 * one or two), rows in time order over one year as a real export is; twelve event names with
 * a realistic mix, channel and device on every row, a value on purchases, a satisfaction score
 * on surveys. Every third person is identified: their rows carry both ids (which links them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t next_u64(void)
{
    uint64_t z = (state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
    return (uint32_t)(((next_u64() >> 32) * (uint64_t)n) >> 32);
}

static const char *const names[] = {
    "page_view",         "product_view", "add_to_cart", "checkout_started", "purchase", "search",
    "newsletter_signup", "ad_click",     "email_click", "service_contact",  "survey",   "review"};
/* Per mille; sums to 1000. */
static const unsigned weights[] = {420, 300, 80, 30, 20, 70, 10, 30, 20, 8, 8, 4};
static const char *const channels[] = {"search", "ad", "social", "email", "direct", "referral"};
static const char *const devices[] = {"mobile", "desktop", "tablet"};

static char *put_u(char *p, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* ISO 8601 UTC of unix seconds (days-from-civil inverse). */
static char *put_time(char *p, int64_t secs)
{
    int64_t z = secs / 86400 + 719468, sod = secs % 86400;
    int64_t era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
    p = put_u(p, (uint64_t)y, 4);
    *p++ = '-';
    p = put_u(p, m, 2);
    *p++ = '-';
    p = put_u(p, d, 2);
    *p++ = 'T';
    p = put_u(p, (uint64_t)(sod / 3600), 2);
    *p++ = ':';
    p = put_u(p, (uint64_t)(sod / 60 % 60), 2);
    *p++ = ':';
    p = put_u(p, (uint64_t)(sod % 60), 2);
    *p++ = 'Z';
    return p;
}

static char *put_s(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static uint64_t parse_count(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end == 'M' || *end == 'm')
        v *= 1e6;
    else if (*end == 'k' || *end == 'K')
        v *= 1e3;
    return (uint64_t)v;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kr_gen_events N [--seed S] [--out FILE]\n");
        return 1;
    }
    uint64_t n = parse_count(argv[1]), seed = 1;
    const char *out = NULL;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--out") == 0)
            out = argv[i + 1];
    }
    state = seed;
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f) {
        perror(out);
        return 1;
    }
    uint64_t persons = n / 20 ? n / 20 : 1;
    int64_t t0 = 1704067200; /* 2024-01-01 */
    double step = 365.0 * 86400.0 / (double)(n ? n : 1);
    static char buf[1 << 20];
    char *p = buf;
    p = put_s(p, "timestamp,anonymous_id,user_id,account_id,event,channel,device,value,score,"
                 "score_scale\n");
    for (uint64_t i = 0; i < n; i++) {
        /* Skew: squaring a uniform number favours low person numbers (heavy users). */
        uint64_t r = next_u64() >> 11;
        double u = (double)r / 9007199254740992.0;
        uint64_t person = (uint64_t)(u * u * (double)persons);
        unsigned w = below(1000), k = 0;
        while (w >= weights[k]) {
            w -= weights[k];
            k++;
        }
        p = put_time(p, t0 + (int64_t)((double)i * step));
        p = put_s(p, ",a");
        p = put_u(p, person * 2654435761u % 4294967291u, 10);
        *p++ = ',';
        if (person % 3 == 0) {
            p = put_s(p, "klant-");
            p = put_u(p, person, 7);
        }
        *p++ = ',';
        *p++ = ',';
        p = put_s(p, names[k]);
        *p++ = ',';
        p = put_s(p, channels[(person + (k == 8 ? 3 : 0)) % 6]);
        *p++ = ',';
        p = put_s(p, devices[(person + i / 1000) % 3]);
        *p++ = ',';
        if (k == 4) {
            p = put_u(p, 5 + below(300), 1);
            *p++ = '.';
            p = put_u(p, below(100), 2);
        }
        *p++ = ',';
        if (k == 10) {
            p = put_u(p, 1 + below(5), 1);
            p = put_s(p, ",csat\n");
        } else {
            p = put_s(p, ",\n");
        }
        if (p - buf > (long)sizeof buf - 512) {
            if (fwrite(buf, 1, (size_t)(p - buf), f) != (size_t)(p - buf))
                return 1;
            p = buf;
        }
    }
    if (fwrite(buf, 1, (size_t)(p - buf), f) != (size_t)(p - buf) || (out && fclose(f) != 0))
        return 1;
    return 0;
}
