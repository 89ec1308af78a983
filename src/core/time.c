/*
 * time.c - timestamps: a hand-written parser for the forms that exports use, an ISO 8601
 * writer, and time zones read straight from the system's TZif files.
 *
 *     kr_tz *ams;
 *     kr_tz_open(&ams, "Europe/Amsterdam");
 *     int64_t ms;
 *     kr_time_parse(&ms, kr_str_from_cstr("2024-07-01 12:00"), ams); // 10:00 UTC
 *     char buf[32]; kr_time_format(buf, sizeof buf, ms);             // "2024-07-01T10:00:00Z"
 *     kr_tz_free(ams);
 *
 * Dates are converted with Howard Hinnant's days-from-civil arithmetic (proleptic Gregorian),
 * never with mktime: the C library's zone state is global, slow and not thread-safe.
 *
 * A zone is reduced at open time to one sorted table of "local switch points": for each
 * transition i at UTC time T[i] from offset before ob[i] to offset after oa[i], a local wall
 * time L is read with oa[i] iff L >= T[i] + max(ob[i], oa[i]). That single rule resolves both
 * edge cases as Python's zoneinfo (fold = 0) and, in practice, mktime(tm_isdst = -1) do: a
 * wall time inside a spring-forward gap is read with the old offset (02:30 becomes 03:30
 * summer time) and one inside a fall-back overlap is its first occurrence (summer time).
 * Transitions after the last one listed in the file are generated from the file's POSIX TZ footer
 * up to KR_TZ_LAST_YEAR.
 *
 * A kr_tz is immutable after kr_tz_open except for a one-word atomic cache of the last local
 * hour converted, so one zone can be shared by threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "klantreis/parse.h"

#define MS_PER_SEC INT64_C(1000)
#define SEC_PER_DAY INT64_C(86400)
#define MS_PER_DAY (SEC_PER_DAY * MS_PER_SEC)

/* Rule-generated transitions stop here; later wall times use the last offset in effect. */
#define KR_TZ_LAST_YEAR 2200
/* Largest TZif file accepted (the biggest in tzdata 2025 is under 4 KB "fat"). */
#define KR_TZ_FILE_MAX ((size_t)1 << 20)
/* Most transitions kept: file ones plus generated ones. */
#define KR_TZ_MAX_TRANSITIONS 4096

struct kr_tz {
    int32_t initial_offset; /* seconds east of UTC before the first switch point */
    size_t count;
    int64_t *local_switch; /* T[i] + max(ob[i], oa[i]), ascending */
    int32_t *offset_after; /* oa[i] */
    /*
     * The last local hour converted and its offset, packed so that one relaxed load or store
     * reads or writes it whole: bit 63 valid, bits 32..62 hour + 2^30, bits 0..31 offset.
     * Only hours that lie entirely between two switch points are cached.
     */
    _Atomic uint64_t cache;
};

/* ---- calendar arithmetic ----------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "chrono-compatible low-level
   date algorithms"). Exact for every year an int64 can hold in days. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Floor division for the cache's hour key. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- time zones -------------------------------------------------------------------------- */

/* Offset in seconds for a local wall time, in seconds since the epoch as if it were UTC. */
static int32_t tz_offset_for_local(const kr_tz *tz, int64_t local)
{
    if (tz->count == 0)
        return tz->initial_offset;
    int64_t hour = floor_div(local, 3600);
    uint64_t c = atomic_load_explicit(&((kr_tz *)tz)->cache, memory_order_relaxed);
    if ((c >> 63) && (int64_t)((c >> 32) & 0x7fffffff) - (INT64_C(1) << 30) == hour)
        return (int32_t)(uint32_t)c;

    /* The number of switch points <= local. */
    size_t lo = 0, hi = tz->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->local_switch[mid] <= local)
            lo = mid + 1;
        else
            hi = mid;
    }
    int32_t off = lo == 0 ? tz->initial_offset : tz->offset_after[lo - 1];
    int64_t first = hour * 3600, last = first + 3599;
    bool hour_inside = (lo == 0 || tz->local_switch[lo - 1] <= first) &&
                       (lo == tz->count || tz->local_switch[lo] > last);
    if (hour_inside && hour > -(INT64_C(1) << 30) && hour < (INT64_C(1) << 30)) {
        uint64_t packed =
            (UINT64_C(1) << 63) | ((uint64_t)(hour + (INT64_C(1) << 30)) << 32) | (uint32_t)off;
        atomic_store_explicit(&((kr_tz *)tz)->cache, packed, memory_order_relaxed);
    }
    return off;
}

static kr_tz *tz_new(int32_t offset)
{
    kr_tz *tz = calloc(1, sizeof *tz);
    if (tz) {
        tz->initial_offset = offset;
        atomic_init(&tz->cache, 0);
    }
    return tz;
}

void kr_tz_free(kr_tz *tz)
{
    if (!tz)
        return;
    free(tz->local_switch);
    free(tz->offset_after);
    free(tz);
}

/* "+01:00", "-0530", "+01", "+1" (hours 0..23, minutes 0..59) into seconds east of UTC. */
static bool parse_fixed_offset(const char *s, int32_t *out)
{
    if (*s != '+' && *s != '-')
        return false;
    int sign = *s++ == '-' ? -1 : 1;
    int h = 0, m = 0, nd = 0;
    while (*s >= '0' && *s <= '9' && nd < 2) {
        h = h * 10 + (*s++ - '0');
        nd++;
    }
    if (nd == 0)
        return false;
    if (*s == ':')
        s++;
    if (*s) {
        if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') || s[2])
            return false;
        m = (s[0] - '0') * 10 + (s[1] - '0');
    }
    if (h > 23 || m > 59)
        return false;
    *out = sign * (h * 3600 + m * 60);
    return true;
}

/* An IANA name is a relative path of letters, digits, '_', '-', '+' and '/', no "..". */
static bool valid_zone_name(const char *name)
{
    if (!*name || *name == '/' || strlen(name) > 255 || strstr(name, ".."))
        return false;
    for (const char *p = name; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '+' || ch == '/' || ch == '.'))
            return false;
    }
    return true;
}

/* Reads a whole small file; NULL when it cannot be read or is too big. */
static unsigned char *read_small_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 8192, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            unsigned char *nb = cap < KR_TZ_FILE_MAX ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    *len = n;
    return buf;
}

static int64_t be_int(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = (v << 8) | p[i];
    if (bytes == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

/* One TZif data block's counts. */
typedef struct tzif_counts {
    size_t isut, isstd, leap, time, type, chars;
} tzif_counts;

static bool tzif_header(const unsigned char *p, size_t len, tzif_counts *c)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    c->isut = (size_t)be_int(p + 20, 4);
    c->isstd = (size_t)be_int(p + 24, 4);
    c->leap = (size_t)be_int(p + 28, 4);
    c->time = (size_t)be_int(p + 32, 4);
    c->type = (size_t)be_int(p + 36, 4);
    c->chars = (size_t)be_int(p + 40, 4);
    return c->type >= 1 && c->type <= 256 && c->time <= KR_TZ_MAX_TRANSITIONS && c->leap <= 1000 &&
           c->chars <= 65536 && c->isut <= 256 && c->isstd <= 256;
}

static size_t tzif_block_len(const tzif_counts *c, int tsize)
{
    return c->time * (size_t)tsize + c->time + c->type * 6 + c->chars +
           c->leap * (size_t)(tsize + 4) + c->isstd + c->isut;
}

/* ---- POSIX TZ footer rules ("CET-1CEST,M3.5.0,M10.5.0/3") --------------------------------- */

typedef struct tz_rule_date {
    char kind; /* 'J' (1..365, no Feb 29), 'N' (0..365), 'M' (month.week.weekday) */
    int a, b, c;
    int32_t time; /* seconds after local midnight, may be negative or over 24 h */
} tz_rule_date;

typedef struct tz_rule {
    int32_t std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    tz_rule_date start, end;
} tz_rule;

static const char *rule_name(const char *p)
{
    if (*p == '<') {
        while (*p && *p != '>')
            p++;
        return *p == '>' ? p + 1 : NULL;
    }
    const char *s = p;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
        p++;
    return p - s >= 3 ? p : NULL;
}

static bool rule_num(const char **pp, int *out, int max)
{
    const char *p = *pp;
    int v = 0, n = 0;
    while (*p >= '0' && *p <= '9' && n < 3) {
        v = v * 10 + (*p++ - '0');
        n++;
    }
    if (n == 0 || v > max)
        return false;
    *out = v;
    *pp = p;
    return true;
}

/* [+-]hh[:mm[:ss]] in seconds; hours up to 167 (RFC 8536 extension). */
static const char *rule_time(const char *p, int32_t *out)
{
    int sign = 1, h = 0, m = 0, s = 0;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (!rule_num(&p, &h, 167))
        return NULL;
    if (*p == ':') {
        p++;
        if (!rule_num(&p, &m, 59))
            return NULL;
        if (*p == ':') {
            p++;
            if (!rule_num(&p, &s, 59))
                return NULL;
        }
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *rule_date(const char *p, tz_rule_date *d)
{
    d->time = 7200;
    if (*p == 'M') {
        p++;
        d->kind = 'M';
        if (!rule_num(&p, &d->a, 12) || d->a < 1 || *p++ != '.' || !rule_num(&p, &d->b, 5) ||
            d->b < 1 || *p++ != '.' || !rule_num(&p, &d->c, 6))
            return NULL;
    } else if (*p == 'J') {
        p++;
        d->kind = 'J';
        if (!rule_num(&p, &d->a, 365) || d->a < 1)
            return NULL;
    } else {
        d->kind = 'N';
        if (!rule_num(&p, &d->a, 365))
            return NULL;
    }
    if (*p == '/')
        p = rule_time(p + 1, &d->time);
    return p;
}

static bool parse_rule(const char *p, tz_rule *r)
{
    int32_t t;
    memset(r, 0, sizeof *r);
    if (!(p = rule_name(p)) || !(p = rule_time(p, &t)))
        return false;
    r->std_off = -t; /* POSIX offsets count west */
    if (!*p)
        return true;
    if (!(p = rule_name(p)))
        return false;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = rule_time(p, &t)))
            return false;
        r->dst_off = -t;
    }
    if (!*p) { /* no rule: the traditional US default */
        r->start = (tz_rule_date){'M', 3, 2, 0, 7200};
        r->end = (tz_rule_date){'M', 11, 1, 0, 7200};
        return true;
    }
    if (*p++ != ',' || !(p = rule_date(p, &r->start)) || *p++ != ',' ||
        !(p = rule_date(p, &r->end)))
        return false;
    return *p == '\0';
}

/* Seconds since the epoch of local midnight (as if UTC) of a rule date in year y. */
static int64_t rule_day(const tz_rule_date *d, int64_t y)
{
    int64_t jan1 = days_from_civil(y, 1, 1);
    if (d->kind == 'J')
        return (jan1 + d->a - 1 + (is_leap(y) && d->a >= 60)) * SEC_PER_DAY;
    if (d->kind == 'N')
        return (jan1 + d->a) * SEC_PER_DAY;
    int64_t first = days_from_civil(y, (unsigned)d->a, 1);
    int wday_first = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int64_t day = first + (d->c - wday_first + 7) % 7 + (int64_t)(d->b - 1) * 7;
    unsigned dim = days_in_month(y, (unsigned)d->a);
    while (day >= first + dim)
        day -= 7;
    return day * SEC_PER_DAY;
}

typedef struct tz_builder {
    int64_t *utc;
    int32_t *before, *after;
    size_t count, cap;
} tz_builder;

static bool builder_add(tz_builder *b, int64_t utc, int32_t before, int32_t after)
{
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        if (cap > KR_TZ_MAX_TRANSITIONS * 2)
            return false;
        int64_t *u = realloc(b->utc, cap * sizeof *u);
        if (u)
            b->utc = u;
        int32_t *x = realloc(b->before, cap * sizeof *x);
        if (x)
            b->before = x;
        int32_t *y = realloc(b->after, cap * sizeof *y);
        if (y)
            b->after = y;
        if (!u || !x || !y)
            return false;
        b->cap = cap;
    }
    b->utc[b->count] = utc;
    b->before[b->count] = before;
    b->after[b->count] = after;
    b->count++;
    return true;
}

static void builder_free(tz_builder *b)
{
    free(b->utc);
    free(b->before);
    free(b->after);
}

/* Adds the rule's transitions after `after_utc` up to KR_TZ_LAST_YEAR. */
static bool expand_rule(tz_builder *b, const tz_rule *r, int64_t after_utc, int32_t cur_off)
{
    if (!r->has_dst)
        return cur_off == r->std_off || builder_add(b, after_utc + 1, cur_off, r->std_off);
    int64_t y0 = 1970;
    if (after_utc > 0) {
        int64_t y;
        unsigned m, d;
        civil_from_days(after_utc / SEC_PER_DAY, &y, &m, &d);
        y0 = y;
    }
    for (int64_t y = y0; y <= KR_TZ_LAST_YEAR; y++) {
        /* Start switches to DST at a time given in standard time, end back in DST time. */
        int64_t start = rule_day(&r->start, y) + r->start.time - r->std_off;
        int64_t end = rule_day(&r->end, y) + r->end.time - r->dst_off;
        int64_t t[2] = {start, end};
        int32_t to[2] = {r->dst_off, r->std_off};
        if (end < start) {
            t[0] = end, t[1] = start;
            to[0] = r->std_off, to[1] = r->dst_off;
        }
        for (int i = 0; i < 2; i++) {
            if (t[i] <= after_utc || to[i] == cur_off)
                continue;
            if (!builder_add(b, t[i], cur_off, to[i]))
                return false;
            cur_off = to[i];
        }
    }
    return true;
}

/* Builds tz from a TZif image: KR_OK, KR_EPARSE when it is not a valid one, or KR_ENOMEM. */
static int tz_from_tzif(kr_tz *tz, const unsigned char *p, size_t len)
{
    tzif_counts c;
    if (!tzif_header(p, len, &c))
        return KR_EPARSE;
    int tsize = 4;
    const unsigned char *data = p + 44;
    size_t avail = len - 44;
    if (p[4] >= '2') { /* skip the 32-bit block, read the 64-bit one */
        size_t skip = tzif_block_len(&c, 4);
        if (skip > avail || !tzif_header(data + skip, avail - skip, &c))
            return KR_EPARSE;
        data += skip + 44;
        avail -= skip + 44;
        tsize = 8;
    }
    if (tzif_block_len(&c, tsize) > avail)
        return KR_EPARSE;
    const unsigned char *times = data;
    const unsigned char *idx = times + c.time * (size_t)tsize;
    const unsigned char *types = idx + c.time;
    int32_t offs[256];
    for (size_t i = 0; i < c.type; i++) {
        int64_t o = be_int(types + i * 6, 4);
        if (o < -25 * 3600 || o > 26 * 3600)
            return KR_EPARSE;
        offs[i] = (int32_t)o;
    }

    tz_rule rule;
    bool has_rule = false;
    if (tsize == 8) {
        const char *foot = (const char *)data + tzif_block_len(&c, 8);
        size_t flen = avail - tzif_block_len(&c, 8);
        if (flen >= 2 && foot[0] == '\n') {
            const char *nl = memchr(foot + 1, '\n', flen - 1);
            char text[128];
            if (nl && (size_t)(nl - foot - 1) < sizeof text) {
                memcpy(text, foot + 1, (size_t)(nl - foot - 1));
                text[nl - foot - 1] = '\0';
                has_rule = text[0] && parse_rule(text, &rule);
            }
        }
    }

    tz_builder b = {0};
    int rc = KR_OK;
    int32_t cur = offs[0];
    int64_t last = INT64_MIN;
    tz->initial_offset = cur;
    for (size_t i = 0; i < c.time; i++) {
        int64_t t = be_int(times + i * (size_t)tsize, tsize);
        if (idx[i] >= c.type || t <= last) {
            rc = KR_EPARSE;
            goto done;
        }
        last = t;
        int32_t to = offs[idx[i]];
        if (to == cur)
            continue; /* a change of name or DST flag only */
        if (!builder_add(&b, t, cur, to)) {
            rc = KR_ENOMEM;
            goto done;
        }
        cur = to;
    }
    if (has_rule && !expand_rule(&b, &rule, last == INT64_MIN ? INT64_MIN / 2 : last, cur)) {
        rc = KR_ENOMEM;
        goto done;
    }

    tz->local_switch = malloc((b.count ? b.count : 1) * sizeof *tz->local_switch);
    tz->offset_after = malloc((b.count ? b.count : 1) * sizeof *tz->offset_after);
    if (!tz->local_switch || !tz->offset_after) {
        rc = KR_ENOMEM;
        goto done;
    }
    /* Transitions are months apart, so the switch points stay ascending; drop any that
       would not. */
    for (size_t i = 0; i < b.count; i++) {
        int64_t ls = b.utc[i] + (b.before[i] > b.after[i] ? b.before[i] : b.after[i]);
        if (tz->count > 0 && ls <= tz->local_switch[tz->count - 1])
            continue;
        tz->local_switch[tz->count] = ls;
        tz->offset_after[tz->count] = b.after[i];
        tz->count++;
    }
done:
    builder_free(&b);
    return rc;
}

int kr_tz_open(kr_tz **out, const char *name)
{
    *out = NULL;
    if (!name)
        return KR_ENOTFOUND;
    int32_t off = 0;
    if (strcasecmp(name, "UTC") == 0 || strcasecmp(name, "Z") == 0 ||
        strcasecmp(name, "GMT") == 0 || strcasecmp(name, "Etc/UTC") == 0 ||
        parse_fixed_offset(name, &off)) {
        *out = tz_new(off);
        return *out ? KR_OK : KR_ENOMEM;
    }
    if (!valid_zone_name(name))
        return KR_ENOTFOUND;
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = "/usr/share/zoneinfo";
    char path[1024];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return KR_ENOTFOUND;
    size_t len = 0;
    unsigned char *data = read_small_file(path, &len);
    if (!data)
        return errno == ENOMEM ? KR_ENOMEM : KR_ENOTFOUND;
    kr_tz *tz = tz_new(0);
    int rc = tz ? tz_from_tzif(tz, data, len) : KR_ENOMEM;
    free(data);
    if (rc < 0) {
        kr_tz_free(tz);
        return rc == KR_ENOMEM ? KR_ENOMEM : KR_ENOTFOUND;
    }
    *out = tz;
    return KR_OK;
}

/* ---- parsing ----------------------------------------------------------------------------- */

static inline bool is_digit(unsigned char ch)
{
    return (unsigned)(ch - '0') <= 9;
}

static inline bool is_blank(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Two digits at p into *out; false when either is not a digit. */
static inline bool two_digits(const unsigned char *p, unsigned *out)
{
    unsigned a = (unsigned)(p[0] - '0'), b = (unsigned)(p[1] - '0');
    if (a > 9 || b > 9)
        return false;
    *out = a * 10 + b;
    return true;
}

/* Offset after a time: "Z", "+01:00", "+0100", "+01"; sets *utc_off (seconds east). */
static bool parse_offset(const unsigned char *p, const unsigned char *end, int32_t *utc_off)
{
    size_t n = (size_t)(end - p);
    if (n == 1 && (*p == 'Z' || *p == 'z')) {
        *utc_off = 0;
        return true;
    }
    if (n < 3 || (*p != '+' && *p != '-'))
        return false;
    int sign = *p == '-' ? -1 : 1;
    unsigned h, m = 0;
    if (!two_digits(p + 1, &h))
        return false;
    if (n == 6 && p[3] == ':') {
        if (!two_digits(p + 4, &m))
            return false;
    } else if (n == 5) {
        if (!two_digits(p + 3, &m))
            return false;
    } else if (n != 3) {
        return false;
    }
    if (h > 23 || m > 59)
        return false;
    *utc_off = sign * (int32_t)(h * 3600 + m * 60);
    return true;
}

static bool ieq3(const unsigned char *p, const char *w)
{
    return (p[0] | 0x20) == w[0] && (p[1] | 0x20) == w[1] && (p[2] | 0x20) == w[2];
}

/* Unsigned decimal integer of 1..19 digits. */
static bool parse_uint(const unsigned char *p, const unsigned char *end, uint64_t *out)
{
    size_t n = (size_t)(end - p);
    if (n == 0 || n > 19)
        return false;
    uint64_t v = 0;
    for (; p < end; p++) {
        if (!is_digit(*p))
            return false;
        v = v * 10 + (unsigned)(*p - '0');
    }
    *out = v;
    return true;
}

static int64_t local_to_utc_ms(int64_t local_ms, const kr_tz *tz)
{
    if (!tz)
        return local_ms;
    int64_t local_s = floor_div(local_ms, MS_PER_SEC);
    return local_ms - (int64_t)tz_offset_for_local(tz, local_s) * MS_PER_SEC;
}

int kr_time_parse(int64_t *out, kr_str s, const kr_tz *tz)
{
    if (!s.ptr)
        return KR_EPARSE;
    const unsigned char *p = (const unsigned char *)s.ptr, *end = p + s.len;
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    size_t n = (size_t)(end - p);
    if (n == 0)
        return KR_EPARSE;

    /* An integer: YYYYMMDD, unix seconds or unix milliseconds (a '-' before times before
       1970, which JSON numbers can carry). */
    if (n < 10 || p[4] != '-') {
        uint64_t v;
        bool neg = *p == '-';
        if (!parse_uint(p + neg, end, &v))
            return KR_EPARSE;
        if (n == 8 && !neg) {
            unsigned y = (unsigned)(v / 10000), m = (unsigned)(v / 100 % 100),
                     d = (unsigned)(v % 100);
            if (y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)) {
                *out = local_to_utc_ms(days_from_civil(y, m, d) * MS_PER_DAY, tz);
                return KR_OK;
            }
        }
        int64_t ms;
        if (v >= UINT64_C(100000000000)) {
            if (v > (uint64_t)INT64_MAX)
                return KR_EPARSE;
            ms = (int64_t)v;
        } else {
            ms = (int64_t)v * MS_PER_SEC;
        }
        *out = neg ? -ms : ms;
        return KR_OK;
    }

    /* YYYY-MM-DD */
    unsigned yh, yl, mo, d;
    if (!two_digits(p, &yh) || !two_digits(p + 2, &yl) || !two_digits(p + 5, &mo) || p[7] != '-' ||
        !two_digits(p + 8, &d))
        return KR_EPARSE;
    unsigned y = yh * 100 + yl;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return KR_EPARSE;
    int64_t ms = days_from_civil(y, mo, d) * MS_PER_DAY;
    p += 10;

    /* [T ]HH:MM[:SS[.frac]] */
    if (p < end && (*p == 'T' || *p == 't' || *p == ' ') && end - p >= 6 && p[3] == ':') {
        unsigned hh, mm, ss = 0;
        if (!two_digits(p + 1, &hh) || !two_digits(p + 4, &mm) || hh > 23 || mm > 59)
            return KR_EPARSE;
        p += 6;
        if (p < end && *p == ':') {
            if (end - p < 3 || !two_digits(p + 1, &ss) || ss > 59)
                return KR_EPARSE;
            p += 3;
            if (p < end && (*p == '.' || *p == ',')) {
                p++;
                unsigned frac = 0, digits = 0;
                const unsigned char *f = p;
                while (p < end && is_digit(*p)) {
                    if (digits < 3) {
                        frac = frac * 10 + (unsigned)(*p - '0');
                        digits++;
                    }
                    p++;
                }
                if (p == f)
                    return KR_EPARSE;
                while (digits < 3) {
                    frac *= 10;
                    digits++;
                }
                ms += frac;
            }
        }
        ms += ((int64_t)hh * 3600 + mm * 60 + ss) * MS_PER_SEC;

        /* An offset, "Z", or " UTC"; anything else is an error. */
        if (p == end) {
            *out = local_to_utc_ms(ms, tz);
            return KR_OK;
        }
        int32_t off;
        const unsigned char *q = p;
        if (*q == ' ')
            q++;
        if (end - q == 3 && (ieq3(q, "utc") || ieq3(q, "gmt"))) {
            *out = ms;
            return KR_OK;
        }
        if (!parse_offset(q, end, &off) || (q != p && *q != '+' && *q != '-'))
            return KR_EPARSE;
        *out = ms - (int64_t)off * MS_PER_SEC;
        return KR_OK;
    }
    if (p == end) {
        *out = local_to_utc_ms(ms, tz);
        return KR_OK;
    }
    if (end - p == 4 && *p == ' ' && (ieq3(p + 1, "utc") || ieq3(p + 1, "gmt"))) {
        *out = ms;
        return KR_OK;
    }
    return KR_EPARSE;
}

/* ---- formatting -------------------------------------------------------------------------- */

static char *put_digits(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

size_t kr_time_format(char *buf, size_t len, int64_t ms)
{
    char tmp[40];
    char *p = tmp;
    int64_t days = ms / MS_PER_DAY, rem = ms % MS_PER_DAY;
    if (rem < 0) {
        rem += MS_PER_DAY;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (y >= 0 && y <= 9999) {
        p = put_digits(p, (unsigned)y, 4);
    } else {
        int n = snprintf(p, 16, "%lld", (long long)y);
        p += n > 0 ? n : 0;
    }
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    p = put_digits(p, d, 2);
    *p++ = 'T';
    unsigned secs = (unsigned)(rem / MS_PER_SEC), frac = (unsigned)(rem % MS_PER_SEC);
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, secs % 60, 2);
    if (frac) {
        *p++ = '.';
        p = put_digits(p, frac, 3);
    }
    *p++ = 'Z';
    size_t n = (size_t)(p - tmp);
    if (len == 0)
        return 0;
    if (n >= len)
        n = len - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return n;
}
