/*
 * demo.c - the demo data set: "De Fietsenmaker", a Dutch webshop for bikes and accessories, and
 * its customers over six months, written as one CSV in the canonical format together with the
 * counts the generator knows to be true.
 *
 *     kr_demo_options o = KR_DEMO_OPTIONS_INIT;
 *     o.persons = 400;
 *     kr_demo_summary s;
 *     char err[256];
 *     if (kr_demo_write(&s, &o, err, sizeof err) < 0) fprintf(stderr, "%s\n", err);
 *
 * Journeys. A person meets the shop through an ad (paid social, display), search, social,
 * referral (word of mouth), an email or directly, on a phone, laptop or tablet, and browses
 * pages (home, blog, whitepaper, product, pricing) and products. Most leave after one or two
 * visits (awareness, consideration); some sign up for the newsletter. About a third put
 * something in the cart (purchase); a good third of those leave it there, some leave during
 * checkout, and known ones get a reminder mail that brings part of them back. Many browse on
 * the phone and buy on the laptop. Buyers may contact service by phone, mail or chat, answer a
 * CSAT or NPS survey, write a review and buy again (service, loyalty). About 5% of the persons
 * are business contacts: 2 to 5 per account (the DMU), who read the whitepaper and pricing,
 * register, get a group row, and in half of the accounts one of them orders several bikes.
 *
 * Identities, as a real webshop export has them: a cookie id per device ("anon-" and 16 hex
 * digits), a customer id from account creation on ("klant-00042"), and for newsletter
 * subscribers first a subscriber id ("nieuwsbrief-00042") that an alias row later links to the
 * customer id. Rows of a device carry the person's user id once the person signed up or logged
 * in on that device; the first such row carries both ids, which is what links them. A second
 * device is always linked that way (a login or a sign-up there), so one generated person is
 * exactly one component of the id graph; ids are derived from the person's number and never
 * shared. The summary's persons are nevertheless counted, not assumed: a union-find over each
 * person's few ids, fed by the rows as they are written.
 *
 * Rows are grouped by person, in time order within a person. Determinism: every person and
 * every account draws from its own xoshiro256** stream seeded by splitmix64 from (seed, number),
 * so the same options give byte-identical files and a person's journey does not depend on the
 * others'. No clock, no rand(). Rows are formatted by hand into one buffer that is written with
 * fwrite: a million persons (about 9 million rows) take a few seconds.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "klantreis/demo.h"

#define SECOND INT64_C(1000)
#define MINUTE (60 * SECOND)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define PERIOD_DAYS 182      /* six months */
#define FIRST_VISIT_DAYS 160 /* first visits fall in these days, so that journeys can unfold */
#define MAX_PERSONS 10000000u

/* --- randomness: xoshiro256**, seeded by splitmix64 ------------------------------------------ */

typedef struct rng {
    uint64_t s[4];
} rng;

/* The splitmix64 finaliser: a bijection on 64-bit numbers. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* One stream per (seed, stream number); stream numbers of persons and accounts never meet. */
static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = mix64(seed ^ UINT64_C(0x6b6c616e74726569)) ^ mix64(stream + 1); /* "klantrei" */
    for (int i = 0; i < 4; i++) {
        x += UINT64_C(0x9e3779b97f4a7c15);
        r->s[i] = mix64(x);
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) by multiply-shift (a bias below 2^-32 does not matter here). */
static uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static uint32_t between(rng *r, uint32_t lo, uint32_t hi)
{
    return lo + below(r, hi - lo + 1);
}

static bool chance(rng *r, unsigned percent)
{
    return below(r, 100) < percent;
}

/* An index drawn with the given weights. */
static size_t pick(rng *r, const unsigned *weights, size_t count)
{
    unsigned total = 0;
    for (size_t i = 0; i < count; i++)
        total += weights[i];
    unsigned x = below(r, total);
    for (size_t i = 0; i < count; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return count - 1;
}

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof(a)[0]))
#define PICK(r, w) pick((r), (w), COUNT(w))

/* --- the shop ----------------------------------------------------------------------------------
 */

/* Channels of the first touch; the weights are the shares of new persons, per cent. */
static const char *const channels[] = {"ad", "search", "social", "referral", "email", "direct"};
static const unsigned consumer_channel_w[] = {24, 30, 16, 10, 5, 15};
static const unsigned business_channel_w[] = {15, 30, 5, 25, 10, 15};

static const char *const devices[] = {"mobile", "desktop", "tablet"};
static const unsigned consumer_device_w[] = {58, 32, 10};
static const unsigned business_device_w[] = {15, 80, 5};

static const char *const pages[] = {"home", "blog", "whitepaper", "product", "pricing"};
static const unsigned consumer_page_w[] = {25, 25, 3, 35, 12};
static const unsigned business_page_w[] = {15, 15, 25, 25, 20};

typedef struct product {
    const char *slug;
    int64_t cents;
} product;

enum { BIKES = 5 }; /* the first BIKES products are bikes, the rest accessories */
static const product products[] = {
    {"stadsfiets", 64900}, {"e-bike", 219900},  {"racefiets", 149900},      {"kinderfiets", 32900},
    {"bakfiets", 289900},  {"fietsslot", 4995}, {"fietstas", 3995},         {"helm", 5995},
    {"fietsbel", 895},     {"regenpak", 4950},  {"fietsverlichting", 2495}, {"fietspomp", 1995},
};
/* What a consumer comes for: 45% a bike, 55% an accessory. */
static const unsigned interest_w[] = {14, 16, 6, 5, 4, 12, 9, 10, 6, 8, 7, 3};
/* What a business orders: bikes for its staff. */
static const unsigned business_interest_w[] = {30, 55, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0};

/* Hours of the day (UTC) at which visits start: evenings peak, nights are quiet. */
static const unsigned hour_w[] = {1, 1, 1, 1, 1, 2, 4, 6,  7, 7, 7, 7,
                                  8, 8, 7, 7, 7, 8, 9, 10, 9, 7, 4, 2};

/* Satisfaction, skewed as real answers are. */
static const unsigned csat_w[] = {6, 9, 17, 36, 32};                   /* 1..5 */
static const unsigned stars_w[] = {3, 4, 10, 33, 50};                  /* 1..5 */
static const unsigned nps_w[] = {1, 1, 2, 2, 3, 5, 8, 13, 20, 22, 23}; /* 0..10 */

static const char *const service_channels[] = {"phone", "email", "chat"};
static const unsigned service_channel_w[] = {40, 35, 25};

/* Ad campaigns follow the season: one per six weeks of the period. */
static const char *const ad_campaigns[] = {"winteractie", "voorjaarsactie", "fietsseizoen",
                                           "zomeractie", "najaarsactie"};

/* Company names: surname + trade + legal form; none contains a comma or a quote. */
static const char *const company_names[] = {
    "Jansen",  "De Vries", "Van Dijk", "Bakker",   "Visser", "Smit",       "Meijer",
    "De Boer", "Mulder",   "De Groot", "Bos",      "Vos",    "Peters",     "Hendriks",
    "Dekker",  "Brouwer",  "De Wit",   "Dijkstra", "Smits",  "Van Leeuwen"};
static const char *const company_trades[] = {
    "Installatietechniek", "Bouw",        "Logistiek", "Advies",     "Zorggroep",   "ICT",
    "Accountants",         "Makelaardij", "Transport", "Schoonmaak", "Architecten", "Catering"};
static const char *const company_forms[] = {"B.V.", "& Zonen", "Groep", "Nederland"};
static const unsigned account_size_w[] = {10, 20, 30, 40}; /* 2..5 contacts, mean 4 */

/* --- output ---------------------------------------------------------------------------------- */

static const char header[] = "timestamp,anonymous_id,user_id,account_id,event,channel,device,"
                             "value,score,score_scale,type,previous_id,page,product,campaign,"
                             "company\n";

enum { OUT_CAP = 1 << 20, ROW_MAX = 1024 }; /* every row is far below ROW_MAX bytes */

typedef struct gen {
    FILE *f;
    char *buf;
    size_t len;
    bool write_failed;
    int write_errno;
    kr_demo_summary *sum;
    uint64_t seed;
    int64_t start_ms;
    int64_t end_ms;
} gen;

static void flush(gen *g)
{
    if (g->len && !g->write_failed && fwrite(g->buf, 1, g->len, g->f) != g->len) {
        g->write_failed = true;
        g->write_errno = errno;
    }
    g->len = 0;
}

static char *put_str(char *q, const char *s)
{
    while (*s)
        *q++ = *s++;
    return q;
}

static char *put_uint(char *q, uint64_t v, int min_width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < min_width)
        tmp[n++] = '0';
    while (n)
        *q++ = tmp[--n];
    return q;
}

/* ISO 8601 UTC with whole seconds, "2025-01-03T10:15:00Z"; ms >= 0 (checked by the caller). */
static char *put_time(char *q, int64_t ms)
{
    int64_t secs = ms / 1000, days = secs / 86400, sod = secs % 86400;
    /* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
    int64_t z = days + 719468, era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    q = put_uint(q, (uint64_t)y, 4);
    *q++ = '-';
    q = put_uint(q, (uint64_t)m, 2);
    *q++ = '-';
    q = put_uint(q, (uint64_t)d, 2);
    *q++ = 'T';
    q = put_uint(q, (uint64_t)(sod / 3600), 2);
    *q++ = ':';
    q = put_uint(q, (uint64_t)(sod / 60 % 60), 2);
    *q++ = ':';
    q = put_uint(q, (uint64_t)(sod % 60), 2);
    *q++ = 'Z';
    return q;
}

/* --- a person and the rows it leaves ------------------------------------------------------ */

/* A person's ids, by slot. */
enum { ID_ANON0, ID_ANON1, ID_KLANT, ID_NIEUWSBRIEF, ID_COUNT, NO_ID = -1 };

typedef struct account {
    char id[24];
    char company[64];
    uint32_t size; /* contacts */
    uint32_t done; /* contacts generated so far */
    bool buys;     /* one contact orders for the account */
    bool grouped;  /* a group row was written */
} account;

typedef struct person {
    rng r;
    int64_t t; /* the clock: strictly increasing over the person's rows */
    char id[ID_COUNT][32];
    uint8_t parent[ID_COUNT]; /* union-find over the slots */
    unsigned used;            /* bit per slot that appeared in a row */
    const char *device[2];
    bool known[2]; /* rows on this device carry the user id (after a sign-up or login there) */
    int user;      /* ID_KLANT, ID_NIEUWSBRIEF or NO_ID */
    account *acct; /* business contacts: the account, on their rows once grouped */
    bool grouped;
    size_t interest; /* the product the person came for */
    uint32_t purchases;
} person;

typedef struct row {
    const char *event;
    const char *type; /* NULL: track */
    int anon, user, previous;
    const char *channel;
    const char *device;
    int64_t cents; /* < 0: none */
    int score;     /* < 0: none */
    const char *scale;
    const char *page;
    const char *product;
    const char *campaign;
    const char *company;
} row;

static unsigned find(const person *p, unsigned x)
{
    while (p->parent[x] != x)
        x = p->parent[x];
    return x;
}

static void link_ids(person *p, int a, int b)
{
    if (a == NO_ID || b == NO_ID)
        return;
    unsigned ra = find(p, (unsigned)a), rb = find(p, (unsigned)b);
    if (ra != rb)
        p->parent[ra] = (uint8_t)rb;
}

static char *put_id(char *q, const person *p, int slot)
{
    return slot == NO_ID ? q : put_str(q, p->id[slot]);
}

static char *put_opt(char *q, const char *s)
{
    q = s ? put_str(q, s) : q;
    *q++ = ',';
    return q;
}

/* Writes one row at the person's clock and feeds the person's union-find. */
static void emit(gen *g, person *p, const row *w)
{
    if (g->len + ROW_MAX > OUT_CAP)
        flush(g);
    char *q = g->buf + g->len;
    q = put_time(q, p->t);
    *q++ = ',';
    q = put_id(q, p, w->anon);
    *q++ = ',';
    q = put_id(q, p, w->user);
    *q++ = ',';
    q = put_opt(q, p->grouped ? p->acct->id : NULL);
    q = put_opt(q, w->event);
    q = put_opt(q, w->channel);
    q = put_opt(q, w->device);
    if (w->cents >= 0) {
        q = put_uint(q, (uint64_t)(w->cents / 100), 1);
        *q++ = '.';
        q = put_uint(q, (uint64_t)(w->cents % 100), 2);
    }
    *q++ = ',';
    if (w->score >= 0)
        q = put_uint(q, (uint64_t)w->score, 1);
    *q++ = ',';
    q = put_opt(q, w->scale);
    q = put_opt(q, w->type);
    q = put_id(q, p, w->previous);
    *q++ = ',';
    q = put_opt(q, w->page);
    q = put_opt(q, w->product);
    q = put_opt(q, w->campaign);
    q = w->company ? put_str(q, w->company) : q;
    *q++ = '\n';
    g->len = (size_t)(q - g->buf);
    g->sum->events++;

    int ids[3] = {w->anon, w->user, w->previous};
    for (int i = 0; i < 3; i++)
        if (ids[i] != NO_ID)
            p->used |= 1u << ids[i];
    link_ids(p, w->anon, w->user);
    link_ids(p, w->previous, w->user);
}

static const row empty_row = {
    .anon = NO_ID, .user = NO_ID, .previous = NO_ID, .cents = -1, .score = -1};

/* A row from the website on device dev: its cookie, and the user id once known there. */
static row web(const person *p, int dev, const char *event)
{
    row w = empty_row;
    w.event = event;
    w.anon = ID_ANON0 + dev;
    w.user = p->known[dev] ? p->user : NO_ID;
    w.device = p->device[dev];
    return w;
}

/* A row from the CRM, the service desk or the survey tool: the user id only. */
static row crm(const person *p, const char *event, const char *channel)
{
    assert(p->user != NO_ID); /* only customers meet service and surveys */
    row w = empty_row;
    w.event = event;
    w.user = p->user;
    w.channel = channel;
    return w;
}

static void pause_s(person *p, uint32_t lo, uint32_t hi)
{
    p->t += (int64_t)between(&p->r, lo, hi) * SECOND;
}

/* The start of a visit on day `day` of the period, at an hour people shop. */
static int64_t visit_time(const gen *g, person *p, int64_t day)
{
    /* One draw per statement: the order of evaluation within an expression is unspecified,
     * and the output must not depend on the compiler. */
    int64_t hour = (int64_t)PICK(&p->r, hour_w);
    int64_t second = (int64_t)below(&p->r, 3600);
    return g->start_ms + day * DAY + hour * HOUR + second * SECOND;
}

/* Moves the clock to a visit min..max days later; false when that falls after the period. */
static bool new_visit(const gen *g, person *p, uint32_t min_days, uint32_t max_days)
{
    int64_t day = (p->t - g->start_ms) / DAY + between(&p->r, min_days, max_days);
    int64_t t = visit_time(g, p, day);
    if (t < p->t + 30 * MINUTE) /* the same day: a new visit needs a pause */
        t = p->t + 30 * MINUTE + (int64_t)below(&p->r, 4 * 3600) * SECOND;
    if (t >= g->end_ms)
        return false;
    p->t = t;
    return true;
}

static const char *ad_campaign(const gen *g, const person *p)
{
    size_t k = (size_t)((p->t - g->start_ms) / (42 * DAY));
    return ad_campaigns[k < 5 ? k : 4];
}

/* The first row of a visit: how the person arrives. */
static void arrive(gen *g, person *p, int dev, const char *channel, bool business)
{
    row w = web(p, dev, "page_view");
    w.channel = channel;
    if (strcmp(channel, "ad") == 0 || strcmp(channel, "email") == 0) {
        /* The click is a touchpoint of its own; the landing page follows. */
        row c = web(p, dev, channel[0] == 'a' ? "ad_click" : "email_click");
        c.channel = channel;
        if (channel[0] == 'a')
            c.campaign = business ? "fietsplan-werkgevers" : ad_campaign(g, p);
        else /* a first touch by mail: a partner's mailing */
            c.campaign = business ? "zakelijke-mailing" : "partnermailing";
        emit(g, p, &c);
        pause_s(p, 2, 20);
        w.campaign = c.campaign;
        w.page = chance(&p->r, 60) ? "product" : "home";
    } else if (strcmp(channel, "social") == 0) {
        w.page = chance(&p->r, 60) ? "blog" : "product";
    } else if (strcmp(channel, "search") == 0) {
        w.page = pages[pick(&p->r, business ? business_page_w : consumer_page_w, COUNT(pages))];
    } else {
        w.page = "home";
    }
    if (strcmp(w.page, "product") == 0)
        w.product = products[p->interest].slug;
    emit(g, p, &w);
}

/* n more pages and products in the current visit. */
static void browse(gen *g, person *p, int dev, uint32_t n, bool business)
{
    for (uint32_t k = 0; k < n; k++) {
        pause_s(p, 15, 240);
        if (chance(&p->r, 45)) {
            row w = web(p, dev, "product_view");
            w.page = "product";
            /* Mostly the product the person came for, sometimes a neighbour. */
            size_t i = chance(&p->r, 70) ? p->interest
                                         : pick(&p->r, business ? business_interest_w : interest_w,
                                                COUNT(products));
            w.product = products[i].slug;
            emit(g, p, &w);
        } else {
            row w = web(p, dev, "page_view");
            w.page = pages[pick(&p->r, business ? business_page_w : consumer_page_w, COUNT(pages))];
            emit(g, p, &w);
        }
    }
}

/* Newsletter sign-up on device dev: a subscriber id, unless the person is a customer already. */
static void subscribe(gen *g, person *p, int dev)
{
    pause_s(p, 10, 120);
    if (p->user == NO_ID)
        p->user = ID_NIEUWSBRIEF;
    p->known[dev] = true;
    row w = web(p, dev, "newsletter_signup");
    w.page = "home";
    emit(g, p, &w);
}

/* Account creation on device dev: the customer id; a subscriber's old id is aliased to it. */
static void register_customer(gen *g, person *p, int dev)
{
    pause_s(p, 20, 180);
    int old = p->user;
    p->user = ID_KLANT;
    p->known[dev] = true;
    row w = web(p, dev, "account_created");
    emit(g, p, &w);
    if (old == ID_NIEUWSBRIEF) {
        pause_s(p, 1, 5);
        row a = empty_row;
        a.type = "alias";
        a.user = ID_KLANT;
        a.previous = ID_NIEUWSBRIEF;
        emit(g, p, &a);
    }
}

/* A login on device dev: an identify row with both ids. */
static void login(gen *g, person *p, int dev)
{
    pause_s(p, 10, 90);
    p->known[dev] = true;
    row w = web(p, dev, NULL);
    w.type = "identify";
    emit(g, p, &w);
}

/* Checkout needs a customer: log in where the person has an account, else create one. */
static void ensure_customer(gen *g, person *p, int dev)
{
    if (p->user == ID_KLANT) {
        if (!p->known[dev])
            login(g, p, dev);
    } else {
        register_customer(g, p, dev);
    }
}

/* A device on which the person is known (the caller knows there is one). */
static int known_device(person *p)
{
    if (p->known[0] && p->known[1])
        return (int)below(&p->r, 2);
    return p->known[0] ? 0 : 1;
}

typedef struct basket {
    size_t main;
    uint32_t quantity;
    int64_t cents;
} basket;

static basket fill_basket(person *p, bool business)
{
    basket b = {p->interest, 1, products[p->interest].cents};
    if (business) {
        b.quantity = between(&p->r, 3, 12);
        b.cents *= b.quantity;
    } else if (chance(&p->r, 35)) {
        /* An accessory goes along: a lock or a helmet with a bike, a bell with a bag. */
        size_t extra = p->interest < BIKES ? (size_t)(5 + 2 * below(&p->r, 2))
                                           : (size_t)(BIKES + below(&p->r, 7));
        if (extra != p->interest)
            b.cents += products[extra].cents;
    }
    return b;
}

static void add_to_cart(gen *g, person *p, int dev, const basket *b)
{
    pause_s(p, 20, 300);
    row w = web(p, dev, "add_to_cart");
    w.page = "product";
    w.product = products[b->main].slug;
    emit(g, p, &w);
}

/* Checkout and payment on device dev; false when the person leaves during checkout. */
static bool checkout(gen *g, person *p, int dev, const basket *b, unsigned leave_percent)
{
    ensure_customer(g, p, dev);
    pause_s(p, 10, 120);
    row c = web(p, dev, "checkout_started");
    c.page = "checkout";
    emit(g, p, &c);
    if (chance(&p->r, leave_percent))
        return false;
    pause_s(p, 60, 600);
    row w = web(p, dev, "purchase");
    w.cents = b->cents;
    w.product = products[b->main].slug;
    emit(g, p, &w);
    p->purchases++;
    g->sum->purchases++;
    g->sum->revenue_cents += b->cents;
    return true;
}

/* An abandoned cart: a known person gets a reminder mail, and some come back and pay. */
static void reminder(gen *g, person *p, const basket *b)
{
    if (p->user == NO_ID || !chance(&p->r, 45) || !new_visit(g, p, 1, 2))
        return;
    int dev = known_device(p);
    row w = web(p, dev, "email_click");
    w.channel = "email";
    w.campaign = "winkelwagen-herinnering";
    emit(g, p, &w);
    if (chance(&p->r, 45))
        checkout(g, p, dev, b, 0);
}

/* A satisfaction score drawn from a skewed distribution. */
static row survey(const person *p, rng *r, bool nps)
{
    row w = crm(p, "survey", "email");
    w.scale = nps ? "nps" : "csat";
    w.score = nps ? (int)PICK(r, nps_w) : 1 + (int)PICK(r, csat_w);
    return w;
}

/* After a purchase: service, surveys, a review, repeat orders (service and loyalty). */
static void aftercare(gen *g, person *p, bool business)
{
    rng *r = &p->r;
    if (chance(r, business ? 35 : 25) && new_visit(g, p, 1, 10)) {
        const char *channel = service_channels[PICK(r, service_channel_w)];
        row w = crm(p, "service_contact", channel);
        if (strcmp(channel, "chat") == 0)
            w.device = p->device[known_device(p)];
        emit(g, p, &w);
        if (chance(r, 60)) {
            pause_s(p, 3600, 30 * 3600);
            row s = survey(p, r, false);
            emit(g, p, &s);
        }
    }
    if (chance(r, business ? 40 : 30) && new_visit(g, p, 7, 21)) {
        row s = survey(p, r, true);
        emit(g, p, &s);
    }
    if (!business && chance(r, 12) && new_visit(g, p, 3, 20)) {
        row w = web(p, known_device(p), "review");
        w.page = "product";
        w.product = products[p->interest].slug;
        w.scale = "csat";
        w.score = 1 + (int)PICK(r, stars_w);
        emit(g, p, &w);
    }
    uint32_t again = chance(r, business ? 40 : 30) ? between(r, 1, 3) : 0;
    for (uint32_t k = 0; k < again; k++) {
        if (!new_visit(g, p, 14, 60))
            return;
        int dev = known_device(p);
        if (chance(r, 50)) {
            row w = web(p, dev, "email_click");
            w.channel = "email";
            w.campaign = "nieuwsbrief";
            emit(g, p, &w);
        } else {
            row w = web(p, dev, "page_view");
            w.channel = chance(r, 60) ? "direct" : "search";
            w.page = "home";
            emit(g, p, &w);
        }
        /* Loyal customers come back for accessories, businesses for more bikes. */
        p->interest = business ? p->interest : (size_t)(BIKES + below(r, 7));
        browse(g, p, dev, between(r, 0, 2), business);
        basket b = fill_basket(p, business);
        add_to_cart(g, p, dev, &b);
        checkout(g, p, dev, &b, 0);
    }
}

static void first_visit(const gen *g, person *p)
{
    p->t = visit_time(g, p, (int64_t)below(&p->r, FIRST_VISIT_DAYS));
}

/* A consumer: from the first touch to wherever the journey ends. */
static void consumer(gen *g, person *p)
{
    rng *r = &p->r;
    p->device[0] = devices[PICK(r, consumer_device_w)];
    p->device[1] = strcmp(p->device[0], "desktop") == 0 ? "mobile" : "desktop";
    p->interest = PICK(r, interest_w);
    first_visit(g, p);
    arrive(g, p, 0, channels[PICK(r, consumer_channel_w)], false);
    browse(g, p, 0, between(r, 0, 5), false);

    bool subscribes = chance(r, 12);
    if (subscribes && chance(r, 50))
        subscribe(g, p, 0);
    /* Intent decides how far the journey goes: about a third reaches the cart. */
    bool intent = chance(r, 34);
    uint32_t visits = intent ? between(r, 0, 2) : (chance(r, 35) ? between(r, 1, 2) : 0);
    for (uint32_t k = 0; k < visits; k++) {
        if (!new_visit(g, p, 1, 14))
            return;
        if (p->user != NO_ID && chance(r, 40)) {
            row w = web(p, 0, "email_click");
            w.channel = "email";
            w.campaign = "nieuwsbrief";
            emit(g, p, &w);
        } else {
            static const char *const back[] = {"search", "direct", "social", "ad"};
            static const unsigned back_w[] = {40, 35, 15, 10};
            arrive(g, p, 0, back[PICK(r, back_w)], false);
        }
        browse(g, p, 0, between(r, 1, 4), false);
    }
    if (subscribes && p->user == NO_ID)
        subscribe(g, p, 0);
    if (!intent)
        return;

    basket b = fill_basket(p, false);
    add_to_cart(g, p, 0, &b);
    if (chance(r, 38)) { /* the cart is left behind */
        reminder(g, p, &b);
    } else {
        int dev = 0;
        if (strcmp(p->device[0], "desktop") != 0 && chance(r, 45)) {
            /* Saves the cart on the phone and pays on the laptop later. */
            if (p->user == NO_ID)
                register_customer(g, p, 0);
            if (!new_visit(g, p, 0, 3))
                return;
            dev = 1;
            row w = web(p, dev, "page_view");
            w.channel = "direct";
            w.page = "home";
            emit(g, p, &w);
        }
        if (!checkout(g, p, dev, &b, 25))
            reminder(g, p, &b);
    }
    if (p->purchases)
        aftercare(g, p, false);
}

/* A business contact: research, registration and the group row; the buyer orders. */
static void contact(gen *g, person *p, account *a, bool buyer)
{
    rng *r = &p->r;
    p->acct = a;
    p->device[0] = devices[PICK(r, business_device_w)];
    p->device[1] = strcmp(p->device[0], "desktop") == 0 ? "mobile" : "desktop";
    p->interest = PICK(r, business_interest_w);
    first_visit(g, p);
    arrive(g, p, 0, channels[PICK(r, business_channel_w)], true);
    browse(g, p, 0, between(r, 1, 4), true);
    /* The whitepaper sits behind a form: a business account and the group row. */
    pause_s(p, 20, 200);
    row wp = web(p, 0, "page_view");
    wp.page = "whitepaper";
    emit(g, p, &wp);
    register_customer(g, p, 0);
    pause_s(p, 1, 5);
    p->grouped = true;
    row gr = web(p, 0, NULL);
    gr.type = "group";
    gr.company = a->company;
    emit(g, p, &gr);
    if (!a->grouped) {
        a->grouped = true;
        g->sum->accounts++;
    }
    /* The DMU compares: a few more visits, some on the other device. */
    uint32_t visits = between(r, 1, 3);
    int dev = 0;
    for (uint32_t k = 0; k < visits; k++) {
        if (!new_visit(g, p, 2, 21))
            return;
        dev = chance(r, 30) ? 1 : 0;
        if (p->user != NO_ID && p->known[dev] && chance(r, 30)) {
            row w = web(p, dev, "email_click");
            w.channel = "email";
            w.campaign = "fietsplan-nieuwsbrief";
            emit(g, p, &w);
        } else {
            row w = web(p, dev, "page_view");
            w.channel = chance(r, 50) ? "direct" : "search";
            w.page = "home";
            emit(g, p, &w);
            if (!p->known[dev])
                login(g, p, dev);
        }
        browse(g, p, dev, between(r, 1, 4), true);
    }
    if (!buyer)
        return;
    basket b = fill_basket(p, true);
    add_to_cart(g, p, dev, &b);
    if (checkout(g, p, dev, &b, 0))
        aftercare(g, p, true);
}

/* Writes the characters of `prefix` and v as a zero-padded number into id. */
static void make_number_id(char *id, const char *prefix, uint32_t v)
{
    *put_uint(put_str(id, prefix), v, 5) = '\0';
}

static void make_cookie_id(char *id, uint64_t seed, uint32_t index, unsigned dev)
{
    /* A bijection of (index, dev): distinct persons and devices never share a cookie. */
    uint64_t h = mix64((((uint64_t)index << 1) | dev) ^ mix64(seed));
    char *q = put_str(id, "anon-");
    for (int shift = 60; shift >= 0; shift -= 4)
        *q++ = "0123456789abcdef"[(h >> shift) & 15];
    *q = '\0';
}

static void person_run(gen *g, uint32_t index, account *a, bool buyer)
{
    person p;
    memset(&p, 0, sizeof p);
    rng_seed(&p.r, g->seed, index);
    for (unsigned k = 0; k < ID_COUNT; k++)
        p.parent[k] = (uint8_t)k;
    p.user = NO_ID;
    make_cookie_id(p.id[ID_ANON0], g->seed, index, 0);
    make_cookie_id(p.id[ID_ANON1], g->seed, index, 1);
    make_number_id(p.id[ID_KLANT], "klant-", index + 1);
    make_number_id(p.id[ID_NIEUWSBRIEF], "nieuwsbrief-", index + 1);
    if (a)
        contact(g, &p, a, buyer);
    else
        consumer(g, &p);
    /* The person's components in the id graph: one, unless a journey left a device unlinked. */
    for (unsigned k = 0; k < ID_COUNT; k++)
        if ((p.used >> k & 1) && find(&p, k) == k)
            g->sum->persons++;
    if (p.purchases)
        g->sum->buyers++;
}

static void account_start(account *a, uint64_t seed, uint32_t number, uint32_t max_contacts)
{
    rng r;
    rng_seed(&r, seed, (UINT64_C(1) << 40) + number); /* above every person's stream */
    memset(a, 0, sizeof *a);
    make_number_id(a->id, "acct-", number);
    const char *name = company_names[below(&r, COUNT(company_names))];
    const char *trade = company_trades[below(&r, COUNT(company_trades))];
    const char *form = company_forms[below(&r, COUNT(company_forms))];
    snprintf(a->company, sizeof a->company, "%s %s %s", name, trade, form);
    uint32_t size = 2 + (uint32_t)PICK(&r, account_size_w);
    a->size = size < max_contacts ? size : max_contacts;
    a->buys = chance(&r, 55);
}

/* --- files -------------------------------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static int fail(char *errbuf, size_t errlen, int code,
                                                      const char *fmt, ...)
{
    if (errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errbuf, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* mkdir -p: creates dir and its missing parents. */
static int make_dirs(const char *dir, char *errbuf, size_t errlen)
{
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path)
        return fail(errbuf, errlen, KR_EINVAL, "%s: bad output folder name", dir);
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (path[i - 1] == '/')
            continue; /* "a//b" */
        char c = path[i];
        path[i] = '\0';
        struct stat st;
        if (mkdir(path, 0777) != 0 &&
            (errno != EEXIST || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
            int e = errno == EEXIST ? ENOTDIR : errno;
            return fail(errbuf, errlen, KR_EIO, "%s: cannot create folder: %s", path, strerror(e));
        }
        path[i] = c;
    }
    return KR_OK;
}

int kr_demo_write(kr_demo_summary *out, const kr_demo_options *o, char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (errlen)
        errbuf[0] = '\0';
    if (o->persons == 0 || o->persons > MAX_PERSONS)
        return fail(errbuf, errlen, KR_EINVAL, "persons must be 1..%u, not %u", MAX_PERSONS,
                    (unsigned)o->persons);
    /* Four-digit years: 1970 up to some centuries ahead. */
    if (o->start_ms < 0 || o->start_ms > INT64_C(200000000000000))
        return fail(errbuf, errlen, KR_EINVAL, "start time %lld ms is out of range",
                    (long long)o->start_ms);
    if (!o->out_dir)
        return fail(errbuf, errlen, KR_EINVAL, "no output folder");
    int rc = make_dirs(o->out_dir, errbuf, errlen);
    if (rc < 0)
        return rc;

    char tmp[sizeof out->events_path + 8];
    int n = snprintf(out->events_path, sizeof out->events_path, "%s/events.csv", o->out_dir);
    if (n < 0 || (size_t)n >= sizeof out->events_path)
        return fail(errbuf, errlen, KR_EINVAL, "%s: output folder name too long", o->out_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", out->events_path);

    gen g = {0};
    g.sum = out;
    g.seed = o->seed;
    g.start_ms = o->start_ms;
    g.end_ms = o->start_ms + PERIOD_DAYS * DAY;
    g.buf = malloc(OUT_CAP);
    if (!g.buf)
        return fail(errbuf, errlen, KR_ENOMEM, "out of memory");
    /* Written under a temporary name and renamed when complete: never a half file. */
    g.f = fopen(tmp, "wb");
    if (!g.f) {
        rc = fail(errbuf, errlen, KR_EIO, "%s: cannot open: %s", tmp, strerror(errno));
        goto done;
    }
    memcpy(g.buf, header, sizeof header - 1);
    g.len = sizeof header - 1;

    /*
     * Business contacts are 5% of the persons, in blocks of one account's contacts spread
     * through the file: after a block of s contacts come 20 * s persons before the next.
     */
    uint32_t contacts_left = o->persons / 20, next_block = 10, accounts = 0;
    account acct;
    bool in_account = false;
    for (uint32_t i = 0; i < o->persons; i++) {
        if (!in_account && contacts_left && i >= next_block) {
            account_start(&acct, o->seed, ++accounts, contacts_left);
            in_account = true;
            next_block = i + 20 * acct.size;
        }
        if (in_account) {
            person_run(&g, i, &acct, acct.buys && acct.done == 0); /* the first one orders */
            contacts_left--;
            in_account = ++acct.done < acct.size;
        } else {
            person_run(&g, i, NULL, false);
        }
    }
    flush(&g);
    if (fclose(g.f) != 0 && !g.write_failed) {
        g.write_failed = true;
        g.write_errno = errno;
    }
    g.f = NULL;
    if (g.write_failed) {
        rc = fail(errbuf, errlen, KR_EIO, "%s: write error: %s", tmp, strerror(g.write_errno));
        remove(tmp);
        goto done;
    }
    if (rename(tmp, out->events_path) != 0) {
        rc = fail(errbuf, errlen, KR_EIO, "%s: cannot rename to %s: %s", tmp, out->events_path,
                  strerror(errno));
        remove(tmp);
        goto done;
    }
    rc = KR_OK;
done:
    free(g.buf);
    return rc;
}
