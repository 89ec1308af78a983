/*
 * map_internal.h - what the journey-map files share: a growable text buffer (capped) and the
 * names of model texts in the chosen language.
 */
#ifndef KR_MAP_INTERNAL_H
#define KR_MAP_INTERNAL_H

#include <stdarg.h>

#include "klantreis/map.h"

/* A poster or diagram text never needs more; past it, appends are dropped (and flagged). */
#define KR__MAP_BUF_MAX (4u << 20)

typedef struct kr__map_buf {
    char *ptr;
    size_t len, cap;
    bool failed; /* out of memory or over KR__MAP_BUF_MAX */
} kr__map_buf;

void kr__map_buf_add(kr__map_buf *b, const char *p, size_t len);
void kr__map_buf_printf(kr__map_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** True when lang (NULL = the model's language) is English. */
bool kr__map_lang_en(const kr_model *m, const char *lang);

/** Text t in English or Dutch, falling back to the other language, then to fallback. */
kr_str kr__map_text(kr_model_text t, bool en, kr_str fallback);

/*
 * Pango set up the same way for measuring (layout) and drawing, so that text breaks into the
 * same lines: hinting off and unrounded glyph positions make line widths independent of the
 * surface and its scale; sizes are absolute, in points.
 */
typedef struct _PangoContext PangoContext;
typedef struct _PangoLayout PangoLayout;

/** Applies the options the text of a box is shown with (font, width, wrapping, alignment). */
void kr__map_pango_setup(PangoContext *ctx);
void kr__map_pango_box(PangoLayout *pl, const kr_map_box *b);

#endif
