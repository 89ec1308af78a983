/*
 * time.c - timestamps: ISO 8601 / RFC 3339, "YYYY-MM-DD HH:MM:SS" in a zone, dates, unix
 * seconds and milliseconds, YYYYMMDD; and ISO 8601 output. Hand-written (no strptime): this is
 * on the import hot path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "klantreis/parse.h"

struct kr_tz {
    bool fixed;           /* a fixed offset (or UTC) */
    int64_t offset_ms;    /* local = UTC + offset */
    char name[64];        /* IANA name for TZ= */
    int64_t cache_local;  /* last local hour start converted, or INT64_MIN */
    int64_t cache_offset; /* its offset */
};

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dm[m - 1];
}

static int parse_offset(const char *p, const char *end, int64_t *out_ms)
{
    /* +HH, +HH:MM, +HHMM */
    if (p >= end || (*p != '+' && *p != '-'))
        return -1;
    int sign = *p == '-' ? -1 : 1;
    p++;
    int digits[4], n = 0;
    while (p < end && n < 4) {
        if (*p == ':' && n == 2) {
            p++;
            continue;
        }
        if (*p < '0' || *p > '9')
            return -1;
        digits[n++] = *p++ - '0';
    }
    if (p != end || (n != 2 && n != 4))
        return -1;
    int hh = digits[0] * 10 + digits[1], mm = n == 4 ? digits[2] * 10 + digits[3] : 0;
    if (hh > 23 || mm > 59)
        return -1;
    *out_ms = sign * ((int64_t)hh * 3600 + mm * 60) * 1000;
    return 0;
}

int kr_tz_open(kr_tz **out, const char *name)
{
    *out = NULL;
    kr_tz *tz = calloc(1, sizeof *tz);
    if (!tz)
        return KR_ENOMEM;
    tz->cache_local = INT64_MIN;
    size_t n = strlen(name);
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 || strcmp(name, "GMT") == 0) {
        tz->fixed = true;
    } else if (parse_offset(name, name + n, &tz->offset_ms) == 0) {
        tz->fixed = true;
    } else {
        /* An IANA name: it must exist in the system's zoneinfo. */
        char path[256];
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
        FILE *f = n < sizeof tz->name && !strstr(name, "..") ? fopen(path, "rb") : NULL;
        if (!f) {
            free(tz);
            return KR_ENOTFOUND;
        }
        fclose(f);
        memcpy(tz->name, name, n + 1);
    }
    *out = tz;
    return KR_OK;
}

void kr_tz_free(kr_tz *tz)
{
    free(tz);
}

/*
 * Offset of a local time in an IANA zone, via TZ + mktime (not thread-safe; the CLI reads on
 * one thread). Cached per local hour, since offsets change on hour boundaries.
 */
static int64_t zone_offset(const kr_tz *ctz, int64_t local_ms)
{
    kr_tz *tz = (kr_tz *)ctz;
    int64_t hour = local_ms - ((local_ms % 3600000) + 3600000) % 3600000;
    if (hour == tz->cache_local)
        return tz->cache_offset;
    char *old = getenv("TZ");
    char saved[256] = "";
    if (old)
        snprintf(saved, sizeof saved, "%s", old);
    setenv("TZ", tz->name, 1);
    tzset();
    int64_t secs = hour / 1000, days = secs / 86400 - (secs % 86400 < 0);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t sod = secs - days * 86400;
    struct tm tm = {0};
    tm.tm_year = (int)(y - 1900);
    tm.tm_mon = (int)m - 1;
    tm.tm_mday = (int)d;
    tm.tm_hour = (int)(sod / 3600);
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (old)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    int64_t offset = hour - (int64_t)t * 1000;
    tz->cache_local = hour;
    tz->cache_offset = offset;
    return offset;
}

static int64_t local_to_utc(int64_t local_ms, const kr_tz *tz)
{
    if (!tz)
        return local_ms;
    if (tz->fixed)
        return local_ms - tz->offset_ms;
    return local_ms - zone_offset(tz, local_ms);
}

static bool digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

static int parse_integer_time(int64_t *out, const char *p, const char *end)
{
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    size_t n = (size_t)(end - p);
    if (n == 0 || n > 16)
        return KR_EPARSE;
    int64_t v = 0;
    for (const char *q = p; q < end; q++) {
        if (*q < '0' || *q > '9')
            return KR_EPARSE;
        v = v * 10 + (*q - '0');
    }
    if (!neg && n == 8) {
        int64_t y = v / 10000;
        unsigned m = (unsigned)(v / 100 % 100), d = (unsigned)(v % 100);
        if (y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)) {
            *out = days_from_civil(y, m, d) * 86400000;
            return KR_OK;
        }
    }
    if (neg)
        v = -v;
    *out = (v >= 100000000000 || v <= -100000000000) ? v : v * 1000;
    return KR_OK;
}

int kr_time_parse(int64_t *out, kr_str s, const kr_tz *tz)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    if (p == end)
        return KR_EPARSE;
    size_t n = (size_t)(end - p);
    if (n < 10 || p[4] != '-')
        return parse_integer_time(out, p, end);
    int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
    if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
        !digits(p + 8, 2, &d))
        return KR_EPARSE;
    if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo))
        return KR_EPARSE;
    const char *q = p + 10;
    bool has_time = false;
    if (q < end) {
        if ((*q != 'T' && *q != 't' && *q != ' ') || end - q < 6)
            return KR_EPARSE;
        q++;
        if (!digits(q, 2, &h) || q[2] != ':' || !digits(q + 3, 2, &mi))
            return KR_EPARSE;
        q += 5;
        if (q < end && *q == ':') {
            if (end - q < 3 || !digits(q + 1, 2, &sec))
                return KR_EPARSE;
            q += 3;
            if (q < end && (*q == '.' || *q == ',')) {
                q++;
                int nd = 0;
                while (q < end && *q >= '0' && *q <= '9') {
                    if (nd < 3)
                        ms = ms * 10 + (*q - '0');
                    nd++;
                    q++;
                }
                if (nd == 0)
                    return KR_EPARSE;
                for (int k = nd; k < 3; k++)
                    ms *= 10;
            }
        }
        if (h > 23 || mi > 59 || sec > 60) /* 60: a leap second, read as :59 + 1 s */
            return KR_EPARSE;
        has_time = true;
    }
    int64_t local = (days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + (int64_t)h * 3600 +
                     (int64_t)mi * 60 + sec) *
                        1000 +
                    ms;
    while (q < end && *q == ' ')
        q++;
    if (q == end) {
        *out = local_to_utc(local, tz);
        return KR_OK;
    }
    if (!has_time)
        return KR_EPARSE;
    if ((end - q == 1 && (*q == 'Z' || *q == 'z')) || (end - q == 3 && memcmp(q, "UTC", 3) == 0)) {
        *out = local;
        return KR_OK;
    }
    int64_t off;
    if (parse_offset(q, end, &off) < 0)
        return KR_EPARSE;
    *out = local - off;
    return KR_OK;
}

size_t kr_time_format(char *buf, size_t len, int64_t ms)
{
    int64_t secs = ms / 1000 - (ms % 1000 < 0), frac = ms - secs * 1000;
    int64_t days = secs / 86400 - (secs % 86400 < 0), sod = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int n;
    if (frac)
        n = snprintf(buf, len, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)frac);
    else
        n = snprintf(buf, len, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    return n < 0 ? 0 : (size_t)n;
}
