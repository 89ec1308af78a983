/*
 * event.c - names of event types and score scales, and the scales' ranges.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "klantreis/event.h"

static const char *const type_names[KR_TYPE_COUNT] = {"track",  "identify", "page",
                                                      "screen", "alias",    "group"};
static const char *const scale_names[KR_SCALE_COUNT] = {"", "csat", "nps", "ces", "emotion"};

/* Inclusive ranges per scale, indexed by kr_score_scale. */
static const double scale_min[KR_SCALE_COUNT] = {-INFINITY, 1, 0, 1, -2};
static const double scale_max[KR_SCALE_COUNT] = {INFINITY, 5, 10, 7, 2};

static bool str_ieq(kr_str a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && (n == 0 || strncasecmp(a.ptr, b, n) == 0);
}

const char *kr_event_type_name(kr_event_type type)
{
    return (unsigned)type < KR_TYPE_COUNT ? type_names[type] : NULL;
}

int kr_event_type_parse(kr_event_type *out, kr_str name)
{
    for (int i = 0; i < KR_TYPE_COUNT; i++) {
        if (str_ieq(name, type_names[i])) {
            *out = (kr_event_type)i;
            return KR_OK;
        }
    }
    return KR_EPARSE;
}

const char *kr_score_scale_name(kr_score_scale scale)
{
    return (unsigned)scale < KR_SCALE_COUNT ? scale_names[scale] : "";
}

int kr_score_scale_parse(kr_score_scale *out, kr_str name)
{
    for (int i = 0; i < KR_SCALE_COUNT; i++) {
        if (str_ieq(name, scale_names[i])) {
            *out = (kr_score_scale)i;
            return KR_OK;
        }
    }
    return KR_EPARSE;
}

bool kr_score_in_range(kr_score_scale scale, double score)
{
    if ((unsigned)scale >= KR_SCALE_COUNT || !isfinite(score))
        return false;
    return score >= scale_min[scale] && score <= scale_max[scale];
}
