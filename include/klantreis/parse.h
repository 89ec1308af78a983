/*
 * klantreis/parse.h - the value parsers that every reader shares: timestamps, money, durations.
 *
 *     int64_t ms, cents;
 *     kr_time_parse(&ms, kr_str_from_cstr("2024-03-01T10:00:00+01:00"), NULL); // 09:00 UTC
 *     kr_money_parse(&cents, kr_str_from_cstr("1.234,50"), 0);                  // 123450
 */
#ifndef KLANTREIS_PARSE_H
#define KLANTREIS_PARSE_H

#include "common.h"

/** A time zone for timestamps that carry no offset. NULL everywhere means UTC. */
typedef struct kr_tz kr_tz;

/**
 * Opens a time zone: "UTC", a fixed offset ("+01:00", "-0530") or an IANA name
 * ("Europe/Amsterdam", read from the system's zoneinfo). Returns KR_OK, KR_ENOTFOUND for an
 * unknown name or KR_ENOMEM. *out is NULL on failure.
 */
KR_EXTERN int kr_tz_open(kr_tz **out, const char *name);

/** Frees a time zone; NULL is fine. */
KR_EXTERN void kr_tz_free(kr_tz *tz);

/**
 * Parses a timestamp into UTC milliseconds. Accepted, with surrounding blanks ignored:
 *  - ISO 8601 / RFC 3339: "2024-03-01T10:00:00Z", "...+01:00", "...+0100", fractions of a
 *    second (".5", ".123456" truncated to ms), "T" or a space between date and time;
 *  - "YYYY-MM-DD HH:MM[:SS]" without offset, and a trailing " UTC": local time in tz (UTC if NULL);
 *  - a date "YYYY-MM-DD" (midnight in tz);
 *  - an integer: unix seconds, or milliseconds when it is >= 100000000000; an 8-digit
 *    integer that is a valid date from 1900 to 2100 reads as YYYYMMDD (CDNOW-style exports).
 * Returns KR_OK or KR_EPARSE (out untouched).
 */
KR_EXTERN int kr_time_parse(int64_t *out, kr_str s, const kr_tz *tz);

/**
 * Writes ms as ISO 8601 UTC, "2024-03-01T09:00:00Z" (".123" added when ms has a fraction).
 * Returns the length written (without NUL); buf gets at most len bytes, NUL-terminated.
 * 32 bytes are always enough.
 */
KR_EXTERN size_t kr_time_format(char *buf, size_t len, int64_t ms);

/**
 * Parses money into cents: "12.50", "12,50", "1.234,50", "1,234.50", "-3", "€ 12,50".
 * decimal is the decimal separator ('.' or ','), or 0 to decide per value: when both '.' and
 * ',' occur the last one is the decimal separator; a single separator that occurs once is
 * the decimal separator; one that occurs more than once separates thousands. More than two
 * decimals round half away from zero. Returns KR_OK, KR_EPARSE, or KR_ETOOBIG when the
 * amount does not fit in int64 cents.
 */
KR_EXTERN int kr_money_parse(int64_t *out, kr_str s, char decimal);

/**
 * Parses a duration: a number and a unit ms, s, m, h, d or w ("30m", "1h", "7d", "1.5h").
 * A bare number is seconds. Returns KR_OK or KR_EPARSE.
 */
KR_EXTERN int kr_duration_parse(int64_t *out_ms, kr_str s);

#endif
