/*
 * money.c - money amounts into integer cents, and durations into milliseconds, as exports and
 * command lines write them.
 *
 *     int64_t cents, ms;
 *     kr_money_parse(&cents, kr_str_from_cstr("€ 1.234,50"), 0);  // 123450
 *     kr_money_parse(&cents, kr_str_from_cstr("12,-"), 0);        // 1200 (Dutch whole euros)
 *     kr_duration_parse(&ms, kr_str_from_cstr("1.5h"));           // 5400000
 *
 * Both are exact integer arithmetic (no strtod: its result depends on the C locale and on
 * binary rounding). Thousands separators must group by three ("1.234.567"), which rejects a
 * date or a version number that ended up in a money column instead of reading it as a sum.
 */
#include <string.h>

#include "klantreis/parse.h"

/* Blanks: space, tab, CR, LF, and the UTF-8 no-break spaces U+00A0 and U+202F. */
static size_t blank_len(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        return 1;
    if (end - p >= 2 && memcmp(p, "\xC2\xA0", 2) == 0)
        return 2;
    if (end - p >= 3 && memcmp(p, "\xE2\x80\xAF", 3) == 0)
        return 3;
    return 0;
}

static size_t blank_len_back(const char *p, const char *end)
{
    if (end <= p)
        return 0;
    char c = end[-1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        return 1;
    if (end - p >= 2 && memcmp(end - 2, "\xC2\xA0", 2) == 0)
        return 2;
    if (end - p >= 3 && memcmp(end - 3, "\xE2\x80\xAF", 3) == 0)
        return 3;
    return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
    for (size_t n; (n = blank_len(p, end)) > 0;)
        p += n;
    return p;
}

static const char *skip_blanks_back(const char *p, const char *end)
{
    for (size_t n; (n = blank_len_back(p, end)) > 0;)
        end -= n;
    return end;
}

/* Length of a currency sign at p ("€", "$", "£", "EUR" in any case), or 0. */
static size_t currency_len(const char *p, const char *end)
{
    size_t n = (size_t)(end - p);
    if (n >= 1 && *p == '$')
        return 1;
    if (n >= 2 && memcmp(p, "\xC2\xA3", 2) == 0)
        return 2;
    if (n >= 3 && memcmp(p, "\xE2\x82\xAC", 3) == 0)
        return 3;
    if (n >= 3 && (p[0] | 0x20) == 'e' && (p[1] | 0x20) == 'u' && (p[2] | 0x20) == 'r')
        return 3;
    return 0;
}

static size_t currency_len_back(const char *p, const char *end)
{
    size_t n = (size_t)(end - p);
    if (n >= 1 && end[-1] == '$')
        return 1;
    if (n >= 2 && memcmp(end - 2, "\xC2\xA3", 2) == 0)
        return 2;
    if (n >= 3 && currency_len(end - 3, end) == 3)
        return 3;
    return 0;
}

int kr_money_parse(int64_t *out, kr_str s, char decimal)
{
    if (!s.ptr || (decimal != 0 && decimal != '.' && decimal != ','))
        return KR_EPARSE;
    const char *p = s.ptr, *end = s.ptr + s.len;

    /* Around the number: at most one sign and one currency sign, in either order, in front
       ("-€ 5", "€ -5"), or the currency behind it ("5,00 €"). */
    bool neg = false, sign = false, currency = false;
    for (;;) {
        p = skip_blanks(p, end);
        size_t n;
        if (!sign && p < end && (*p == '-' || *p == '+')) {
            neg = *p++ == '-';
            sign = true;
        } else if (!currency && (n = currency_len(p, end)) > 0) {
            p += n;
            currency = true;
        } else {
            break;
        }
    }
    end = skip_blanks_back(p, end);
    if (!currency) {
        size_t n = currency_len_back(p, end);
        end = skip_blanks_back(p, end - n);
    }

    /* Dutch whole amounts: "12,-" and "12,--". */
    if (end - p >= 2 && end[-1] == '-') {
        const char *q = end - 1;
        if (q - p >= 2 && q[-1] == '-')
            q--;
        if (q > p && (q[-1] == ',' || q[-1] == '.') && (decimal == 0 || decimal == q[-1])) {
            decimal = q[-1];
            end = q - 1;
        }
    }
    if (p == end)
        return KR_EPARSE;

    if (decimal == 0) {
        const char *last_dot = NULL, *last_comma = NULL;
        size_t dots = 0, commas = 0;
        for (const char *q = p; q < end; q++) {
            if (*q == '.') {
                dots++;
                last_dot = q;
            } else if (*q == ',') {
                commas++;
                last_comma = q;
            }
        }
        if (dots && commas)
            decimal = last_dot > last_comma ? '.' : ',';
        else if (dots)
            decimal = dots == 1 ? '.' : ',';
        else
            decimal = commas == 1 ? ',' : '.';
    }
    const char thousands = decimal == '.' ? ',' : '.';

    /* Whole units: digits in groups of three after a separator. */
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t units = 0;
    size_t digits = 0, group = 0;
    bool grouped = false;
    const char *q = p;
    for (; q < end; q++) {
        unsigned d = (unsigned)(*q - '0');
        if (d <= 9) {
            if (units > (limit / 100 - d) / 10)
                return KR_ETOOBIG;
            units = units * 10 + d;
            digits++;
            group++;
        } else if (*q == thousands || *q == '\'' || *q == ' ') {
            if (group == 0 || (grouped && group != 3) || group > 3)
                return KR_EPARSE;
            grouped = true;
            group = 0;
        } else {
            break;
        }
    }
    if (grouped && group != 3)
        return KR_EPARSE;

    /* Fraction: two digits kept, the third rounds half away from zero, the rest is ignored. */
    unsigned frac = 0, frac_digits = 0, round = 0;
    if (q < end && *q == decimal) {
        q++;
        for (; q < end; q++) {
            unsigned d = (unsigned)(*q - '0');
            if (d > 9)
                break;
            if (frac_digits < 2)
                frac = frac * 10 + d;
            else if (frac_digits == 2)
                round = d >= 5;
            frac_digits++;
        }
    }
    if (q != end || digits + frac_digits == 0)
        return KR_EPARSE;
    if (frac_digits == 1)
        frac *= 10;
    uint64_t cents = units * 100 + frac + round;
    if (cents > limit)
        return KR_ETOOBIG;
    *out = neg ? (cents == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)cents) : (int64_t)cents;
    return KR_OK;
}

int kr_duration_parse(int64_t *out_ms, kr_str s)
{
    if (!s.ptr)
        return KR_EPARSE;
    const char *p = skip_blanks(s.ptr, s.ptr + s.len);
    const char *end = skip_blanks_back(p, s.ptr + s.len);

    uint64_t whole = 0, frac = 0, frac_scale = 1;
    size_t digits = 0;
    for (; p < end && (unsigned)(*p - '0') <= 9; p++, digits++) {
        if (whole > UINT64_C(1000000000000000))
            return KR_EPARSE;
        whole = whole * 10 + (unsigned)(*p - '0');
    }
    if (p < end && *p == '.') {
        for (p++; p < end && (unsigned)(*p - '0') <= 9; p++, digits++) {
            if (frac_scale < UINT64_C(1000000000)) { /* nine digits are more than enough */
                frac = frac * 10 + (unsigned)(*p - '0');
                frac_scale *= 10;
            }
        }
    }
    if (digits == 0)
        return KR_EPARSE;
    p = skip_blanks(p, end);

    size_t n = (size_t)(end - p);
    uint64_t unit;
    if (n == 0 || (n == 1 && *p == 's'))
        unit = 1000;
    else if (n == 2 && p[0] == 'm' && p[1] == 's')
        unit = 1;
    else if (n == 1 && *p == 'm')
        unit = 60 * 1000;
    else if (n == 1 && *p == 'h')
        unit = 3600 * 1000;
    else if (n == 1 && *p == 'd')
        unit = 86400 * 1000;
    else if (n == 1 && *p == 'w')
        unit = 7 * 86400 * 1000;
    else
        return KR_EPARSE;

    if (whole > (uint64_t)INT64_MAX / unit)
        return KR_EPARSE;
    /* frac < frac_scale <= 1e9 and unit <= 6.048e8: the product fits in 64 bits. */
    uint64_t ms = whole * unit + (frac * unit + frac_scale / 2) / frac_scale;
    if (ms > (uint64_t)INT64_MAX)
        return KR_EPARSE;
    *out_ms = (int64_t)ms;
    return KR_OK;
}
