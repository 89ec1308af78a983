/*
 * demo.c - the demo data set: a Dutch webshop ("De Fietsenmaker", bikes and accessories) and
 * its customers over six months, as one CSV in the canonical format. Deterministic: a
 * splitmix64 stream seeded from the options, no clock, no rand().
 *
 * Journeys: people arrive through ads, search, social, referral (word of mouth), email or
 * directly; browse pages and products on their first device; some read the blog or the
 * whitepaper, sign up for the newsletter (which identifies them), put things in the cart;
 * about half of those buy, a third of them on a second device (browse on the phone, buy on the
 * laptop: both anonymous ids are linked by the user id on their rows); buyers may contact
 * service, answer a CSAT or NPS survey, write a review and buy again. A few newsletter
 * subscribers later get a customer id and an alias row links the two. About 5% of persons are
 * contacts of a B2B account (2 to 5 contacts each), with a group row.
 *
 * Every person's ids are their own, so the true number of persons after stitching is the
 * number of persons generated: the summary is the truth a test compares with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "klantreis/demo.h"
#include "klantreis/parse.h"

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next_u64(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((next_u64(r) >> 32) * (uint64_t)n) >> 32);
}

static bool chance(rng *r, unsigned percent)
{
    return below(r, 100) < percent;
}

/* A pick from weighted choices. */
static const char *pick(rng *r, const char *const *names, const unsigned *weights, size_t n)
{
    unsigned total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    unsigned x = below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i])
            return names[i];
        x -= weights[i];
    }
    return names[n - 1];
}

static const char *const channels[] = {"search", "ad", "social", "referral", "email", "direct"};
static const unsigned channel_weights[] = {30, 25, 20, 10, 5, 10};
static const char *const products[] = {"stadsfiets", "e-bike", "racefiets", "fietsslot",
                                       "fietstas",   "helm",   "bel",       "regenpak"};
static const int64_t product_cents[] = {64900, 219900, 149900, 4995, 3995, 5995, 895, 4950};

typedef struct writer {
    FILE *f;
    kr_demo_summary *sum;
} writer;

typedef struct row {
    int64_t t;
    const char *anon;
    const char *user;
    const char *account;
    const char *event;
    const char *channel;
    const char *device;
    int64_t cents; /* < 0: none */
    int score;     /* < 0: none */
    const char *scale;
    const char *type;
    const char *previous;
    const char *page;
    const char *product;
    const char *campaign;
} row;

static void put(writer *w, const row *r)
{
    char when[40], value[32] = "", score[16] = "";
    kr_time_format(when, sizeof when, r->t);
    if (r->cents >= 0)
        snprintf(value, sizeof value, "%lld.%02lld", (long long)(r->cents / 100),
                 (long long)(r->cents % 100));
    if (r->score >= 0)
        snprintf(score, sizeof score, "%d", r->score);
    fprintf(w->f, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", when, r->anon ? r->anon : "",
            r->user ? r->user : "", r->account ? r->account : "", r->event,
            r->channel ? r->channel : "", r->device ? r->device : "", value, score,
            r->scale ? r->scale : "", r->type ? r->type : "", r->previous ? r->previous : "",
            r->page ? r->page : "", r->product ? r->product : "", r->campaign ? r->campaign : "");
    w->sum->events++;
}

#define MINUTE INT64_C(60000)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

static row base_row(int64_t t, const char *anon, const char *user, const char *account,
                    const char *event, const char *channel, const char *device)
{
    row r = {t,  anon, user, account, event, channel, device, -1,
             -1, NULL, NULL, NULL,    NULL,  NULL,    NULL};
    return r;
}

/* One person's journey, in time order. */
static void journey(writer *w, rng *r, uint32_t i, const kr_demo_options *o, const char *account)
{
    char anon1[32], anon2[32], user[32], old_id[32];
    /* Random-looking cookie ids; the person's index keeps them unique. */
    snprintf(anon1, sizeof anon1, "anon-%08x-%u", (unsigned)(next_u64(r) >> 32), i);
    snprintf(anon2, sizeof anon2, "anon-%08x-%ub", (unsigned)(next_u64(r) >> 32), i);
    snprintf(user, sizeof user, "klant-%05u", i + 1);
    snprintf(old_id, sizeof old_id, "nieuwsbrief-%05u", i + 1);

    const char *channel = pick(r, channels, channel_weights, 6);
    bool mobile_first = chance(r, 60);
    const char *dev1 = mobile_first ? "mobile" : (chance(r, 90) ? "desktop" : "tablet");
    const char *dev2 = mobile_first ? "desktop" : "mobile";
    int64_t t =
        o->start_ms + (int64_t)below(r, 150) * DAY + (int64_t)below(r, 14 * 60) * MINUTE + 8 * HOUR;
    const char *who = account ? user : NULL; /* B2B contacts are known from the start */
    const char *acct = account;

    if (account) {
        row g = base_row(t, anon1, user, account, "group", NULL, dev1);
        g.type = "group";
        put(w, &g);
        t += MINUTE;
    }
    /* Awareness: the first touch. */
    row first = base_row(t, anon1, who, acct, strcmp(channel, "ad") == 0 ? "ad_click" : "page_view",
                         channel, dev1);
    first.page = "home";
    first.campaign = strcmp(channel, "ad") == 0 ? "voorjaarsactie" : NULL;
    put(w, &first);
    /* Consideration: pages and products. */
    unsigned views = 1 + below(r, 6);
    const char *product = products[below(r, 8)];
    unsigned p_index = 0;
    for (unsigned k = 0; k < 8; k++)
        if (products[k] == product)
            p_index = k;
    for (unsigned k = 0; k < views; k++) {
        t += (int64_t)(1 + below(r, 10)) * MINUTE;
        row v =
            base_row(t, anon1, who, acct, chance(r, 60) ? "product_view" : "page_view", NULL, dev1);
        v.page = v.event[1] == 'r' ? "product" : (chance(r, 50) ? "category" : "pricing");
        v.product = v.event[1] == 'r' ? product : NULL;
        put(w, &v);
    }
    if (chance(r, 25)) {
        t += (int64_t)(1 + below(r, 3)) * DAY;
        row c =
            base_row(t, anon1, who, acct, "page_view", chance(r, 50) ? "search" : "social", dev1);
        c.page = chance(r, 60) ? "blog" : "whitepaper";
        put(w, &c);
    }
    bool known = who != NULL;
    bool subscribed = false;
    if (!known && chance(r, 20)) {
        /* Newsletter: identified under a subscriber id, later aliased to the customer id. */
        t += (int64_t)(5 + below(r, 60)) * MINUTE;
        row s = base_row(t, anon1, old_id, acct, "newsletter_signup", NULL, dev1);
        put(w, &s);
        subscribed = true;
        known = true;
        who = old_id;
    }
    if (!chance(r, 38)) {
        w->sum->persons++;
        return; /* dropped off while considering */
    }
    /* Purchase phase: the cart. */
    t += (int64_t)(1 + below(r, 3 * 24 * 60)) * MINUTE;
    row cart = base_row(t, anon1, who, acct, "add_to_cart", NULL, dev1);
    cart.product = product;
    cart.cents = product_cents[p_index];
    put(w, &cart);
    if (!chance(r, 50)) {
        w->sum->persons++;
        return; /* abandoned cart */
    }
    /* Identify as customer (on the first device), maybe switch to the second device. */
    t += (int64_t)(1 + below(r, 48)) * HOUR;
    if (subscribed) {
        row a = base_row(t, NULL, user, acct, "alias", NULL, NULL);
        a.type = "alias";
        a.previous = old_id;
        put(w, &a);
    }
    if (!account) {
        row ac = base_row(t, anon1, user, acct, "account_created", NULL, dev1);
        put(w, &ac);
    }
    who = user;
    bool switch_device = chance(r, 35);
    const char *anon = switch_device ? anon2 : anon1;
    const char *dev = switch_device ? dev2 : dev1;
    t += (int64_t)(1 + below(r, 120)) * MINUTE;
    row pv = base_row(t, anon, who, acct, "product_view", switch_device ? "direct" : NULL, dev);
    pv.product = product;
    put(w, &pv);
    t += (int64_t)(1 + below(r, 10)) * MINUTE;
    row co = base_row(t, anon, who, acct, "checkout_started", NULL, dev);
    put(w, &co);
    t += (int64_t)(1 + below(r, 5)) * MINUTE;
    row buy = base_row(t, anon, who, acct, "purchase", NULL, dev);
    buy.product = product;
    buy.cents = product_cents[p_index];
    put(w, &buy);
    w->sum->buyers++;
    w->sum->purchases++;
    w->sum->revenue_cents += buy.cents;
    /* Service and satisfaction. */
    if (chance(r, 30)) {
        static const char *const service_channels[] = {"phone", "email", "chat"};
        t += (int64_t)(1 + below(r, 10)) * DAY;
        row sc =
            base_row(t, anon, who, acct, "service_contact", service_channels[below(r, 3)], dev);
        put(w, &sc);
        if (chance(r, 70)) {
            t += (int64_t)(1 + below(r, 24)) * HOUR;
            row sv = base_row(t, anon, who, acct, "survey", "email", dev);
            sv.score = (int)(1 + below(r, 5));
            sv.scale = "csat";
            put(w, &sv);
        }
    }
    if (chance(r, 40)) {
        t += (int64_t)(7 + below(r, 14)) * DAY;
        row nps = base_row(t, anon, who, acct, "survey", "email", dev);
        static const int nps_scores[] = {10, 10, 9, 9, 9, 8, 8, 7, 7, 6, 5, 3, 10, 9, 8, 2};
        nps.score = nps_scores[below(r, 16)];
        nps.scale = "nps";
        put(w, &nps);
    }
    if (chance(r, 15)) {
        t += (int64_t)(1 + below(r, 5)) * DAY;
        row rv = base_row(t, anon, who, acct, "review", NULL, dev);
        rv.score = (int)(3 + below(r, 3));
        rv.scale = "csat";
        rv.product = product;
        put(w, &rv);
    }
    /* Loyalty: buying again, invited by the newsletter. */
    unsigned again = chance(r, 30) ? 1 + below(r, 3) : 0;
    for (unsigned k = 0; k < again; k++) {
        t += (int64_t)(10 + below(r, 40)) * DAY;
        const char *extra = products[3 + below(r, 5)];
        unsigned e_index = 3;
        for (unsigned j = 0; j < 8; j++)
            if (products[j] == extra)
                e_index = j;
        row em = base_row(t, anon, who, acct, "email_click", "email", dev);
        em.campaign = "nieuwsbrief";
        put(w, &em);
        t += (int64_t)(1 + below(r, 30)) * MINUTE;
        row rb = base_row(t, anon, who, acct, "purchase", "email", dev);
        rb.product = extra;
        rb.cents = product_cents[e_index];
        put(w, &rb);
        w->sum->purchases++;
        w->sum->revenue_cents += rb.cents;
    }
    w->sum->persons++;
}

static int make_dir(const char *dir, char *errbuf, size_t errlen)
{
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path) {
        snprintf(errbuf, errlen, "bad output folder '%s'", dir);
        return KR_EINVAL;
    }
    memcpy(path, dir, n + 1);
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                snprintf(errbuf, errlen, "%s: cannot create folder: %s", path, strerror(errno));
                return KR_EIO;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    return KR_OK;
}

int kr_demo_write(kr_demo_summary *out, const kr_demo_options *o, char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (errlen)
        errbuf[0] = '\0';
    if (o->persons == 0 || o->persons > 10000000) {
        snprintf(errbuf, errlen, "persons must be 1..10000000");
        return KR_EINVAL;
    }
    int rc = make_dir(o->out_dir, errbuf, errlen);
    if (rc < 0)
        return rc;
    snprintf(out->events_path, sizeof out->events_path, "%s/events.csv", o->out_dir);
    FILE *f = fopen(out->events_path, "w");
    if (!f) {
        snprintf(errbuf, errlen, "%s: cannot write: %s", out->events_path, strerror(errno));
        return KR_EIO;
    }
    static char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("timestamp,anonymous_id,user_id,account_id,event,channel,device,value,score,"
          "score_scale,type,previous_id,page,product,campaign\n",
          f);
    writer w = {f, out};
    rng r = {o->seed ^ UINT64_C(0x6b6c616e74726569)}; /* "klantrei" */
    /* B2B: 5% of persons, in accounts of 2 to 5 contacts. */
    uint32_t b2b = o->persons / 20, in_account = 0, account_no = 0, account_size = 0;
    char account[64];
    for (uint32_t i = 0; i < o->persons; i++) {
        const char *acct = NULL;
        if (i < b2b) {
            if (in_account == account_size) {
                account_no++;
                in_account = 0;
                account_size = 2 + below(&r, 4);
                out->accounts++;
            }
            snprintf(account, sizeof account, "acct-%04u", account_no);
            acct = account;
            in_account++;
        }
        journey(&w, &r, i, o, acct);
    }
    if (fclose(f) != 0) {
        snprintf(errbuf, errlen, "%s: write error", out->events_path);
        return KR_EIO;
    }
    return KR_OK;
}
