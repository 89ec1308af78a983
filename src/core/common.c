/*
 * common.c - error texts and string views.
 */
#include <string.h>

#include "klantreis/common.h"

const char *kr_strerror(int code)
{
    switch (code) {
#define KR_ERRNO_TEXT(name, value, text)                                                           \
    case (value):                                                                                  \
        return (text);
        KR_ERRNO_MAP(KR_ERRNO_TEXT)
#undef KR_ERRNO_TEXT
    default:
        return "unknown error";
    }
}

kr_str kr_str_from_cstr(const char *s)
{
    kr_str v = {s, s ? strlen(s) : 0};
    return v;
}

bool kr_str_eq(kr_str a, kr_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool kr_str_eq_cstr(kr_str a, const char *s)
{
    return kr_str_eq(a, kr_str_from_cstr(s));
}
