/*
 * klantreis/map.h - the journey map as a poster (PDF, PNG, SVG, drawn with cairo and pango) and
 * as Mermaid's `journey` diagram. The poster is made in two steps: a layout, a pure function of
 * the model and (optionally) the phase figures from data that yields boxes with their text, and
 * the drawing of those boxes. Tests check the layout: no two text boxes overlap, all lie on the
 * page. The format is described in docs/map.md.
 *
 *     kr_map_options o = KR_MAP_OPTIONS_INIT;
 *     kr_map_layout l;
 *     if (kr_map_layout_run(&l, model, phases_or_NULL, &o) == KR_OK)
 *         kr_map_render_file(&l, KR_MAP_PDF, "map.pdf");
 *     kr_map_layout_finish(&l);
 */
#ifndef KLANTREIS_MAP_H
#define KLANTREIS_MAP_H

#include "phases.h"

typedef enum { KR_MAP_PDF = 0, KR_MAP_PNG = 1, KR_MAP_SVG = 2, KR_MAP_MERMAID = 3 } kr_map_format;

/** What a box is; decides how it is drawn. Only some kinds carry text. */
typedef enum {
    KR_MAP_BOX_PANEL = 0,   /* a background (no text); drawn first, may lie under others */
    KR_MAP_BOX_TEXT = 1,    /* wrapped text, optionally on a filled rectangle */
    KR_MAP_BOX_CARD = 2,    /* a touchpoint card: text on its channel's colour */
    KR_MAP_BOX_SWATCH = 3,  /* a legend colour sample (no text) */
    KR_MAP_BOX_ARROW = 4,   /* a conversion arrow between phases with its percentage as text */
    KR_MAP_BOX_EMOTION = 5, /* the emotion lane of one phase (no text): guides at -2, 0, +2 */
} kr_map_box_kind;

#define KR_MAP_NO_COLOUR UINT32_MAX
#define KR_MAP_NO_INDEX UINT32_MAX

/** One box of the layout, in points (1/72 inch) from the top left of the page. */
typedef struct kr_map_box {
    kr_map_box_kind kind;
    double x, y, w, h;
    const char *text; /* UTF-8, NUL-terminated, owned by the layout; NULL when none */
    double font_size; /* points */
    double pad;       /* between the box edge and its text */
    bool bold, italic, centered;
    uint32_t fill;       /* 0xRRGGBB or KR_MAP_NO_COLOUR */
    uint32_t phase;      /* the phase it belongs to, or KR_MAP_NO_INDEX */
    uint32_t touchpoint; /* a card's touchpoint, or KR_MAP_NO_INDEX */
} kr_map_box;

/** A point of the expected emotion curve: x, y on the page, at a touchpoint. */
typedef struct kr_map_point {
    double x, y;
    uint32_t touchpoint;
} kr_map_point;

typedef struct kr_map_layout {
    double width, height; /* the page, points: A3 landscape 1191 x 842, taller when needed */
    double card_font;     /* the font size the touchpoint cards got (shrunk to fit) */
    kr_map_box *boxes;
    size_t box_count;
    kr_map_point *curve; /* the expected emotion, one point per touchpoint that has one */
    size_t curve_count;
    char **texts; /* owned texts (internal) */
    size_t text_count;
} kr_map_layout;

typedef struct kr_map_options {
    const char *lang; /* "nl" or "en" for labels and names; NULL = the model's language */
} kr_map_options;

#define KR_MAP_OPTIONS_INIT                                                                        \
    {                                                                                              \
        NULL                                                                                       \
    }

/**
 * Lays out the poster of model m. data (may be NULL) are the figures of kr_phases_run with the
 * same model: persons per phase, conversion between phases and drop-off are shown from its
 * first group. Text is measured with pango, wrapped at words and, for words longer than their
 * box, within them. With room to spare on A3 all fonts grow (up to 1.5 times, breaking no
 * more words); short of room, touchpoint cards shrink their font down to 6 pt before the page
 * grows taller than A3. Call kr_map_layout_finish afterwards, also on failure. Returns KR_OK,
 * KR_EINVAL (lang not nl or en) or KR_ENOMEM.
 */
KR_EXTERN int kr_map_layout_run(kr_map_layout *out, const kr_model *m, const kr_phases_result *data,
                                const kr_map_options *o);

/** Frees what a layout holds; the struct can be reused. */
KR_EXTERN void kr_map_layout_finish(kr_map_layout *l);

/**
 * Draws layout l to the file at path as PDF (the page in points), SVG (the same size; every
 * text is also present as a transparent <text> element, so it can be searched and tested) or
 * PNG (150 dpi, less for very tall posters). Returns KR_OK, KR_EINVAL (KR_MAP_MERMAID) or
 * KR_EIO (cannot write).
 */
KR_EXTERN int kr_map_render_file(const kr_map_layout *l, kr_map_format f, const char *path);

/** The format named by the extension of path (.pdf .png .svg .mmd); KR_EINVAL for others. */
KR_EXTERN int kr_map_format_from_path(kr_map_format *out, const char *path);

/**
 * Model m as Mermaid's journey diagram: the scope's goal as title, a section per phase and a
 * task per touchpoint, "Name: score: Actor", with score round(emotion + 3) from the expected
 * emotion of the touchpoint (else of its phase; 3 when neither has one) and the actor the
 * initiator (customer or company). lang as in kr_map_options. Returns a malloc'd string, or
 * NULL when out of memory.
 */
KR_EXTERN char *kr_map_to_mermaid(const kr_model *m, const char *lang);

#endif
