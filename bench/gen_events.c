/*
 * gen_events.c - writes N synthetic events as canonical CSV, fast and deterministic, for the
 * benchmarks (bench/import.sh).
 *
 *     kr_gen_events 1M > events.csv
 *     kr_gen_events 100M --seed 7 --out bench/out/events-100M.csv
 *
 * Shape, as a real export of a webshop's event stream has it:
 *  - about N/20 persons, each with 1 to 200 events drawn from a power law (P(c) ~ c^-a, a
 *    chosen so that the mean is 20): most persons leave one or two events, a few hundreds;
 *  - persons arrive over one year (a Poisson process) and come back in sessions: within a
 *    session events follow each other by seconds to minutes, sessions by days;
 *  - thirteen event names, each following the previous one by a small Markov chain (a search
 *    leads to product views, a cart to a checkout, a checkout mostly to a purchase, ...);
 *  - a channel per session (ad, search, social, email, direct, referral) and a device per
 *    person on every row; a value on purchases, a score on surveys (NPS) and reviews (CSAT);
 *  - a cookie id per device; from the first sign-up, login, checkout or purchase on, a user
 *    id too (the row with both links them), after which a quarter of the persons also use a
 *    second device; 5% of the persons belong to an account (the account id once known);
 *  - rows in time order over the whole file: the persons' next events are merged through a
 *    4-ary min-heap of (time, person) keys that holds only the persons still active.
 *
 * Speed: numbers and timestamps are formatted by hand (the date part is cached per day) into
 * an 8 MiB buffer written with fwrite; on the project's 2-core machine this writes far more
 * than 200 MB/s. Deterministic: xoshiro256** seeded from --seed by splitmix64; no clock.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- randomness ---------------------------------------------------------------------------- */

static uint64_t rs[4];

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void seed_rng(uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        x += UINT64_C(0x9e3779b97f4a7c15);
        rs[i] = mix64(x);
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next_u64(void)
{
    uint64_t result = rotl(rs[1] * 5, 7) * 9;
    uint64_t t = rs[1] << 17;
    rs[2] ^= rs[0];
    rs[3] ^= rs[1];
    rs[1] ^= rs[2];
    rs[0] ^= rs[3];
    rs[2] ^= t;
    rs[3] = rotl(rs[3], 45);
    return result;
}

static uint32_t below(uint32_t n)
{
    return (uint32_t)(((next_u64() >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in (0, 1]. */
static double unit(void)
{
    return ((double)(next_u64() >> 11) + 1.0) / 9007199254740992.0;
}

/* Exponentially distributed with the given mean. */
static double expo(double mean)
{
    return -log(unit()) * mean;
}

/* --- the shape ----------------------------------------------------------------------------- */

enum {
    PAGE_VIEW,
    PRODUCT_VIEW,
    SEARCH,
    ADD_TO_CART,
    CHECKOUT_STARTED,
    PURCHASE,
    AD_CLICK,
    EMAIL_CLICK,
    NEWSLETTER_SIGNUP,
    ACCOUNT_CREATED,
    SERVICE_CONTACT,
    SURVEY,
    REVIEW,
    NAMES
};
static const char *const names[NAMES] = {
    "page_view",       "product_view", "search",      "add_to_cart",       "checkout_started",
    "purchase",        "ad_click",     "email_click", "newsletter_signup", "account_created",
    "service_contact", "survey",       "review"};

/*
 * The next event within a session, given the last one (weights per row). Chosen so that
 * about 1 in 3 persons with a few events reaches the cart and the overall mix is roughly:
 * page views 45%, product views 30%, search 7%, carts 4%, checkouts 2%, purchases 1.5%.
 */
static const uint8_t next_w[NAMES][NAMES] = {
    /*                 pv  prv src atc chk pur ad  em  nl  acc svc srv rev */
    [PAGE_VIEW] = {45, 35, 10, 3, 0, 0, 0, 0, 3, 2, 2, 0, 0},
    [PRODUCT_VIEW] = {30, 40, 8, 14, 0, 0, 0, 0, 1, 1, 1, 0, 0},
    [SEARCH] = {25, 65, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ADD_TO_CART] = {15, 25, 5, 10, 45, 0, 0, 0, 0, 0, 0, 0, 0},
    [CHECKOUT_STARTED] = {20, 5, 0, 0, 0, 60, 0, 0, 0, 15, 0, 0, 0},
    [PURCHASE] = {45, 25, 5, 0, 0, 0, 0, 0, 5, 0, 5, 10, 5},
    [AD_CLICK] = {55, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [EMAIL_CLICK] = {50, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [NEWSLETTER_SIGNUP] = {70, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACCOUNT_CREATED] = {30, 20, 0, 0, 50, 0, 0, 0, 0, 0, 0, 0, 0},
    [SERVICE_CONTACT] = {60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 0},
    [SURVEY] = {80, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [REVIEW] = {70, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
};
static uint32_t next_cum[NAMES][NAMES]; /* cumulative next_w, and its total in [..][NAMES-1] */

enum { AD, SEARCH_CH, SOCIAL, EMAIL, DIRECT, REFERRAL, CHANNELS };
static const char *const channels[CHANNELS] = {"ad",    "search", "social",
                                               "email", "direct", "referral"};
static const unsigned channel_w[CHANNELS] = {22, 30, 14, 10, 16, 8};
static const char *const devices[] = {"mobile", "desktop", "tablet"};
static const unsigned device_w[] = {55, 35, 10};

static unsigned pick(const unsigned *w, unsigned n)
{
    unsigned total = 0;
    for (unsigned i = 0; i < n; i++)
        total += w[i];
    unsigned x = below(total);
    for (unsigned i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* Events per person: P(c) ~ c^-a on 1..MAX_EVENTS, a chosen so that the mean is MEAN_EVENTS. */
enum { MAX_EVENTS = 200, MEAN_EVENTS = 20 };
static uint64_t count_cdf[MAX_EVENTS]; /* scaled to 2^64 - 1 */

static double power_mean(double a)
{
    double w = 0, m = 0;
    for (int c = 1; c <= MAX_EVENTS; c++) {
        double p = pow(c, -a);
        w += p;
        m += c * p;
    }
    return m / w;
}

static void init_counts(void)
{
    double lo = 0.0, hi = 4.0; /* the mean falls as a grows */
    for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2;
        if (power_mean(mid) > MEAN_EVENTS)
            lo = mid;
        else
            hi = mid;
    }
    double a = (lo + hi) / 2, total = 0, acc = 0;
    for (int c = 1; c <= MAX_EVENTS; c++)
        total += pow(c, -a);
    for (int c = 1; c <= MAX_EVENTS; c++) {
        acc += pow(c, -a);
        double q = acc / total;
        count_cdf[c - 1] = q >= 1.0 ? UINT64_MAX : (uint64_t)(q * 18446744073709551615.0);
    }
    count_cdf[MAX_EVENTS - 1] = UINT64_MAX;
}

static uint32_t draw_count(void)
{
    uint64_t x = next_u64();
    unsigned lo = 0, hi = MAX_EVENTS - 1;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (x <= count_cdf[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo + 1;
}

/* --- persons and the heap ----------------------------------------------------------------- */

typedef struct person {
    uint64_t number;    /* the person's number, from 1: ids derive from it */
    uint32_t remaining; /* events still to write */
    uint8_t last;       /* the last event name */
    uint8_t channel;    /* of the current session */
    uint8_t device[2];
    uint8_t on_device; /* 0 or 1 */
    uint8_t known;     /* has a user id */
    uint8_t second;    /* uses a second device once known */
    uint8_t business;  /* belongs to an account */
} person;

/* Keys: (time in ms since t0) << 24 | slot. Ties resolve by slot: deterministic. */
#define SLOT_BITS 24
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)

typedef struct heap {
    uint64_t *key;
    size_t count, cap;
} heap;

static void heap_sift_down(heap *h, size_t i)
{
    uint64_t k = h->key[i];
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= h->count)
            break;
        size_t best = c, end = c + 4 < h->count ? c + 4 : h->count;
        for (size_t j = c + 1; j < end; j++)
            if (h->key[j] < h->key[best])
                best = j;
        if (h->key[best] >= k)
            break;
        h->key[i] = h->key[best];
        i = best;
    }
    h->key[i] = k;
}

static int heap_push(heap *h, uint64_t k)
{
    if (h->count == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 4096;
        uint64_t *p = realloc(h->key, cap * sizeof *p);
        if (!p)
            return -1;
        h->key = p;
        h->cap = cap;
    }
    size_t i = h->count++;
    while (i) {
        size_t parent = (i - 1) / 4;
        if (h->key[parent] <= k)
            break;
        h->key[i] = h->key[parent];
        i = parent;
    }
    h->key[i] = k;
    return 0;
}

/* --- output ------------------------------------------------------------------------------- */

enum { BUF_CAP = 8 << 20, ROW_MAX = 256 };
static char *buf;
static size_t buf_len;
static FILE *out;
static const char *out_name;

static void die(const char *what)
{
    fprintf(stderr, "kr_gen_events: %s: %s\n", out_name, what);
    exit(2);
}

static void flush(void)
{
    if (buf_len && fwrite(buf, 1, buf_len, out) != buf_len)
        die(strerror(errno));
    buf_len = 0;
}

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

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

static char *put_2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* "YYYY-MM-DDT" of a day since 1970-01-01 (Howard Hinnant's civil-from-days). */
static void day_prefix(char *p, int64_t days)
{
    int64_t z = days + 719468, era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    p = put_u(p, (uint64_t)(yoe + era * 400 + (m <= 2)), 4);
    *p++ = '-';
    p = put_2(p, (unsigned)m);
    *p++ = '-';
    p = put_2(p, (unsigned)d);
    *p = 'T';
}

static char *put_hex16(char *p, uint64_t v)
{
    for (int shift = 60; shift >= 0; shift -= 4)
        *p++ = "0123456789abcdef"[(v >> shift) & 15];
    return p;
}

static const int64_t t0_s = 1735689600; /* 2025-01-01T00:00:00Z */
static int64_t cached_day = -1;
static char day_text[11];
static uint64_t id_key;

static void write_row(const person *ps, int64_t t_ms, unsigned name)
{
    if (buf_len + ROW_MAX > BUF_CAP)
        flush();
    char *p = buf + buf_len;
    int64_t secs = t0_s + t_ms / 1000;
    int64_t day = secs / 86400;
    unsigned sod = (unsigned)(secs % 86400);
    if (day != cached_day) {
        day_prefix(day_text, day);
        cached_day = day;
    }
    memcpy(p, day_text, 11);
    p += 11;
    p = put_2(p, sod / 3600);
    *p++ = ':';
    p = put_2(p, sod / 60 % 60);
    *p++ = ':';
    p = put_2(p, sod % 60);
    p = put_str(p, "Z,anon-");
    /* A bijection of (person, device): no two persons share a cookie. */
    p = put_hex16(p, mix64(((ps->number << 1) | ps->on_device) ^ id_key));
    *p++ = ',';
    if (ps->known) {
        p = put_str(p, "klant-");
        p = put_u(p, ps->number, 7);
    }
    *p++ = ',';
    if (ps->known && ps->business) {
        p = put_str(p, "acct-");
        p = put_u(p, ps->number / 4, 6); /* about 4 persons' worth of numbers per account */
    }
    *p++ = ',';
    p = put_str(p, names[name]);
    *p++ = ',';
    p = put_str(p, channels[ps->channel]);
    *p++ = ',';
    p = put_str(p, devices[ps->device[ps->on_device]]);
    *p++ = ',';
    if (name == PURCHASE) {
        /* Skewed order values: most between 10 and 150 euro, a few bikes up to 3000. */
        double u = unit();
        uint64_t cents = 995 + (uint64_t)(u * u * u * u * 299000.0);
        p = put_u(p, cents / 100, 1);
        *p++ = '.';
        p = put_2(p, (unsigned)(cents % 100));
    }
    *p++ = ',';
    if (name == SURVEY) {
        static const unsigned nps_w[] = {1, 1, 2, 2, 3, 5, 8, 13, 20, 22, 23};
        p = put_u(p, pick(nps_w, 11), 1);
        p = put_str(p, ",nps");
    } else if (name == REVIEW) {
        static const unsigned stars_w[] = {3, 4, 10, 33, 50};
        p = put_u(p, 1 + pick(stars_w, 5), 1);
        p = put_str(p, ",csat");
    } else {
        *p++ = ',';
    }
    p = put_str(p, ",,\n"); /* type (track) and previous_id stay empty */
    buf_len = (size_t)(p - buf);
}

/* The first event of a session: how the person arrives. */
static unsigned session_start(person *ps)
{
    ps->channel = (uint8_t)pick(channel_w, CHANNELS);
    if (ps->known && below(100) < 25)
        ps->channel = EMAIL; /* known persons get newsletters */
    if (ps->known && ps->second)
        ps->on_device = (uint8_t)below(2);
    return ps->channel == AD ? AD_CLICK : ps->channel == EMAIL ? EMAIL_CLICK : PAGE_VIEW;
}

static unsigned next_name(unsigned last)
{
    const uint32_t *cum = next_cum[last];
    uint32_t x = below(cum[NAMES - 1]);
    unsigned i = 0;
    while (x >= cum[i])
        i++;
    return i;
}

/* Writes the person's event at t_ms and moves the person on. */
static void person_event(person *ps, int64_t t_ms, unsigned name)
{
    if (name == NEWSLETTER_SIGNUP || name == ACCOUNT_CREATED || name == CHECKOUT_STARTED ||
        name == PURCHASE)
        ps->known = 1;
    write_row(ps, t_ms, name);
    ps->last = (uint8_t)name;
    ps->remaining--;
}

static uint64_t parse_count(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-')
        return 0;
    uint64_t mul = 1;
    switch (*end) {
    case 'k':
    case 'K':
        mul = 1000;
        break;
    case 'm':
    case 'M':
        mul = 1000000;
        break;
    case 'g':
    case 'G':
        mul = 1000000000;
        break;
    }
    if (mul > 1)
        end++;
    if (*end || v > UINT64_MAX / mul)
        return 0;
    return (uint64_t)v * mul;
}

static const char usage[] =
    "usage: kr_gen_events N [--seed S] [--out FILE]\n"
    "Writes N synthetic events (N: 1M, 10M, 100M, 250k or a number) as canonical CSV in time\n"
    "order to FILE or standard output. The same N and seed give the same bytes.\n";

int main(int argc, char **argv)
{
    uint64_t n = 0, seed = 1;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            char *end;
            seed = strtoull(argv[++i], &end, 10);
            if (*end || !argv[i][0]) {
                fputs(usage, stderr);
                return 1;
            }
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            path = argv[++i];
        } else if (n == 0 && (n = parse_count(argv[i])) != 0) {
            continue;
        } else {
            fprintf(stderr, "kr_gen_events: bad argument '%s'\n%s", argv[i], usage);
            return 1;
        }
    }
    if (n == 0) {
        fputs(usage, stderr);
        return 1;
    }
    out_name = path ? path : "standard output";
    out = path ? fopen(path, "wb") : stdout;
    if (!out)
        die(strerror(errno));
    buf = malloc(BUF_CAP);
    if (!buf)
        die("out of memory");

    seed_rng(seed);
    id_key = mix64(seed ^ UINT64_C(0x6b6c616e74726569));
    init_counts();
    for (unsigned i = 0; i < NAMES; i++) {
        uint32_t acc = 0;
        for (unsigned j = 0; j < NAMES; j++)
            next_cum[i][j] = acc += next_w[i][j];
    }

    /* Persons arrive over a year so that their expected events add up to n. */
    const double year_ms = 325.0 * 86400000.0; /* arrivals; the last journeys run on for weeks */
    double persons = (double)n / MEAN_EVENTS;
    double arrival_gap = year_ms / (persons < 1 ? 1 : persons);
    double arrival = expo(arrival_gap);
    uint64_t next_number = 1;

    person *ps = NULL;
    uint32_t *free_slots = NULL;
    size_t slots = 0, slot_cap = 0, free_count = 0;
    heap h = {NULL, 0, 0};

    static const char header[] = "timestamp,anonymous_id,user_id,account_id,event,channel,device,"
                                 "value,score,score_scale,type,previous_id\n";
    memcpy(buf, header, sizeof header - 1);
    buf_len = sizeof header - 1;

    for (uint64_t written = 0; written < n; written++) {
        uint64_t top = h.count ? h.key[0] : UINT64_MAX;
        int64_t t;
        uint32_t slot;
        bool from_heap = h.count && (uint64_t)arrival > (top >> SLOT_BITS);
        if (!from_heap) {
            /* A new person: a slot, a first session. */
            if (free_count) {
                slot = free_slots[--free_count];
            } else {
                if (slots == slot_cap) {
                    slot_cap = slot_cap ? 2 * slot_cap : 4096;
                    ps = realloc(ps, slot_cap * sizeof *ps);
                    free_slots = realloc(free_slots, slot_cap * sizeof *free_slots);
                    if (!ps || !free_slots || slot_cap > SLOT_MASK)
                        die("out of memory");
                }
                slot = (uint32_t)slots++;
            }
            person *p = &ps[slot];
            memset(p, 0, sizeof *p);
            p->number = next_number++;
            p->remaining = draw_count();
            p->device[0] = (uint8_t)pick(device_w, 3);
            p->device[1] = p->device[0] == 1 ? 0 : 1; /* phone <-> laptop */
            p->second = below(100) < 25;
            p->business = below(100) < 5;
            t = (int64_t)arrival;
            arrival += expo(arrival_gap);
            person_event(p, t, session_start(p));
            if (p->remaining == 0) {
                free_slots[free_count++] = slot;
                continue;
            }
        } else {
            slot = (uint32_t)(top & SLOT_MASK);
            t = (int64_t)(top >> SLOT_BITS);
            person *p = &ps[slot];
            person_event(p, t, p->last); /* the name drawn when the event was scheduled */
            if (p->remaining == 0) {
                h.key[0] = h.key[--h.count];
                if (h.count)
                    heap_sift_down(&h, 0);
                free_slots[free_count++] = slot;
                continue;
            }
        }
        /*
         * Schedule the person's next event: within the session (seconds to minutes) three
         * times in four, else a new session days later. The name is drawn now and kept in
         * `last` until the event is written.
         */
        person *p = &ps[slot];
        int64_t next;
        if (below(100) < 75) {
            next = t + 5000 + (int64_t)below(295000);
            p->last = (uint8_t)next_name(p->last);
        } else {
            double gap = expo(4.0 * 86400000.0);
            next = t + 1800000 + (int64_t)(gap < 60.0 * 86400000.0 ? gap : 60.0 * 86400000.0);
            p->last = (uint8_t)session_start(p);
        }
        uint64_t key = ((uint64_t)next << SLOT_BITS) | slot;
        if (from_heap) {
            h.key[0] = key; /* the person was the heap's top: replace it */
            heap_sift_down(&h, 0);
        } else if (heap_push(&h, key) < 0) {
            die("out of memory");
        }
    }
    flush();
    if (path && fclose(out) != 0)
        die(strerror(errno));
    if (!path && fflush(stdout) != 0)
        die(strerror(errno));
    free(buf);
    free(ps);
    free(free_slots);
    free(h.key);
    return 0;
}
