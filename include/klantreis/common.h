/*
 * klantreis/common.h - error codes, string views and version shared by every module.
 *
 *     int rc = kr_store_open(&store, "klantreis.db", NULL);
 *     if (rc < 0)
 *         fprintf(stderr, "%s: %s\n", kr_strerror(rc), kr_store_errmsg(store));
 */
#ifndef KLANTREIS_COMMON_H
#define KLANTREIS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(KR_BUILDING_LIBRARY) && defined(__GNUC__)
#define KR_EXTERN __attribute__((visibility("default")))
#else
#define KR_EXTERN
#endif

#define KR_VERSION "0.1.0"

/*
 * One table makes both the enum and kr_strerror(). Codes are negative so that a function
 * can return a count (>= 0) or an error.
 */
#define KR_ERRNO_MAP(X)                                                                            \
    X(OK, 0, "ok")                                                                                 \
    X(EINVAL, -1, "invalid argument")                                                              \
    X(EPARSE, -2, "parse error")                                                                   \
    X(ENOTFOUND, -3, "not found")                                                                  \
    X(ETOOBIG, -4, "too big")                                                                      \
    X(ENOMEM, -5, "out of memory")                                                                 \
    X(EIO, -6, "input/output error")                                                               \
    X(EDB, -7, "database error")                                                                   \
    X(ESTOP, -8, "stopped by callback")

typedef enum {
#define KR_ERRNO_ENUM(name, code, text) KR_##name = (code),
    KR_ERRNO_MAP(KR_ERRNO_ENUM)
#undef KR_ERRNO_ENUM
} kr_error;

/** Returns a static, lower-case description of an error code; never NULL. */
KR_EXTERN const char *kr_strerror(int code);

/** A borrowed view of bytes; not NUL-terminated. The owner of ptr says how long it lives. */
typedef struct kr_str {
    const char *ptr;
    size_t len;
} kr_str;

/* An empty view: KR_STR_INIT in initialisers (also static ones), KR_STR_NULL in expressions. */
#define KR_STR_INIT                                                                                \
    {                                                                                              \
        NULL, 0                                                                                    \
    }
#define KR_STR_NULL ((kr_str){NULL, 0})

/** Makes a view of a NUL-terminated string (NULL gives an empty view). */
KR_EXTERN kr_str kr_str_from_cstr(const char *s);

/** True when both views hold the same bytes. */
KR_EXTERN bool kr_str_eq(kr_str a, kr_str b);

/** True when the view equals the NUL-terminated string s. */
KR_EXTERN bool kr_str_eq_cstr(kr_str a, const char *s);

#endif
