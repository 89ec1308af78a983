/*
 * money.c - money amounts into integer cents, and durations into milliseconds.
 */
#include <string.h>

#include "klantreis/parse.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Skips currency signs and blanks: "€", "$", "£", "EUR". */
static const char *skip_currency(const char *p, const char *end)
{
    for (;;) {
        while (p < end && is_blank(*p))
            p++;
        if (end - p >= 3 && memcmp(p, "\xE2\x82\xAC", 3) == 0)
            p += 3;
        else if (end - p >= 2 && memcmp(p, "\xC2\xA3", 2) == 0)
            p += 2;
        else if (p < end && *p == '$')
            p++;
        else if (end - p >= 3 && memcmp(p, "EUR", 3) == 0)
            p += 3;
        else
            return p;
    }
}

static const char *skip_currency_back(const char *p, const char *end)
{
    for (;;) {
        while (end > p && is_blank(end[-1]))
            end--;
        if (end - p >= 3 && memcmp(end - 3, "\xE2\x82\xAC", 3) == 0)
            end -= 3;
        else if (end - p >= 3 && memcmp(end - 3, "EUR", 3) == 0)
            end -= 3;
        else
            return end;
    }
}

int kr_money_parse(int64_t *out, kr_str s, char decimal)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    p = skip_currency(p, end);
    bool neg = false;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
        p = skip_currency(p, end);
    }
    end = skip_currency_back(p, end);
    if (p == end)
        return KR_EPARSE;
    if (!decimal) {
        size_t dots = 0, commas = 0;
        const char *last_dot = NULL, *last_comma = NULL;
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
        else if (dots == 1)
            decimal = '.';
        else if (commas == 1)
            decimal = ',';
        else if (dots > 1)
            decimal = ','; /* 1.234.567: dots separate thousands */
        else
            decimal = '.';
    }
    char thousands = decimal == '.' ? ',' : '.';
    int64_t units = 0;
    int frac_digits = 0, frac = 0, round_digit = -1;
    bool seen_decimal = false, any_digit = false;
    for (const char *q = p; q < end; q++) {
        char c = *q;
        if (c >= '0' && c <= '9') {
            any_digit = true;
            if (!seen_decimal) {
                if (units > (INT64_MAX / 100 - 9) / 10)
                    return KR_ETOOBIG;
                units = units * 10 + (c - '0');
            } else if (frac_digits < 2) {
                frac = frac * 10 + (c - '0');
                frac_digits++;
            } else if (round_digit < 0) {
                round_digit = c - '0';
            }
        } else if (c == decimal && !seen_decimal) {
            seen_decimal = true;
        } else if (c == thousands && !seen_decimal) {
            /* a thousands separator needs digits before it */
            if (q == p)
                return KR_EPARSE;
        } else if ((c == ' ' || c == '\'') && !seen_decimal && q > p) {
            /* "1 234,50", "1'234.50" */
        } else {
            return KR_EPARSE;
        }
    }
    if (!any_digit)
        return KR_EPARSE;
    if (frac_digits == 1)
        frac *= 10;
    int64_t cents = units * 100 + frac + (round_digit >= 5 ? 1 : 0);
    *out = neg ? -cents : cents;
    return KR_OK;
}

int kr_duration_parse(int64_t *out_ms, kr_str s)
{
    const char *p = s.ptr, *end = s.ptr + s.len;
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    double v = 0, scale = 1;
    bool any = false, dot = false;
    while (p < end && ((*p >= '0' && *p <= '9') || (*p == '.' && !dot))) {
        if (*p == '.') {
            dot = true;
        } else {
            any = true;
            if (dot) {
                scale /= 10;
                v += (*p - '0') * scale;
            } else {
                v = v * 10 + (*p - '0');
            }
        }
        p++;
    }
    if (!any || v > 1e12)
        return KR_EPARSE;
    size_t n = (size_t)(end - p);
    double unit;
    if (n == 0 || (n == 1 && *p == 's'))
        unit = 1000;
    else if (n == 2 && memcmp(p, "ms", 2) == 0)
        unit = 1;
    else if (n == 1 && *p == 'm')
        unit = 60e3;
    else if (n == 1 && *p == 'h')
        unit = 3600e3;
    else if (n == 1 && *p == 'd')
        unit = 86400e3;
    else if (n == 1 && *p == 'w')
        unit = 7 * 86400e3;
    else
        return KR_EPARSE;
    *out_ms = (int64_t)(v * unit + 0.5);
    return KR_OK;
}
