/*
 * map_layout.c - the journey-map poster as boxes: a pure function of the model and the phase
 * figures (see map.h). Drawing (map_draw.c) only paints what this file placed, so the tests of
 * this layout (no overlapping text, everything on the page) hold for the poster.
 *
 *     kr_map_layout l;
 *     kr_map_layout_run(&l, model, NULL, NULL);     // l.boxes[0 .. l.box_count)
 *     kr_map_layout_finish(&l);
 *
 * The page, after seed 002: a title across the top; a left column with the scope (goal, scope,
 * stakeholders, personas, brand values, version, date) and the channel legend; then a narrow
 * column of lane labels and one column per phase. The rows across the phases: name, the
 * customer's goal, [persons reached, conversion arrows], touchpoint cards, the expected emotion
 * curve, KPIs, brand values, [drop-off]. Every text is measured with pango at its box's width
 * before the next box is placed below it, so text boxes never overlap; rows take the height of
 * their tallest cell. When everything fits A3 with room to spare, all fonts grow (up to 1.5
 * times) as long as they break no more words; when the page would grow past A3 the cards' font
 * shrinks (8.5 pt down to 6 pt); below that the page grows taller.
 */
#include <inttypes.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"

#define PAGE_W 1191.0 /* A3 landscape, points */
#define PAGE_H 842.0
#define MARGIN 20.0
#define GAP 6.0
#define LEFT_W 190.0              /* the scope column */
#define LABEL_W (78.0 * L->scale) /* the lane labels */
#define SCALE_W (16.0 * L->scale) /* the emotion scale (+2, 0, -2) in the label column */
#define MIN_COL_W 80.0
#define EMOTION_H (80.0 * L->scale)
#define CARD_GAP 3.0
#define CARD_MIN_W 110.0 /* sub-columns of cards are at least this wide */
#define CARDS_PER_SUB 10
#define TEXT_PAD 2.0
#define CARD_PAD 3.0
#define SLACK 1.0 /* added to every measured height against rounding */
#define FONT_TEXT (8.0 * L->scale)
#define FONT_HEAD (9.0 * L->scale)

/* Light colours (ColorBrewer Set3 without its grey), readable under black text. */
static const uint32_t palette[] = {0x8dd3c7, 0xffffb3, 0xbebada, 0xfb8072, 0x80b1d3, 0xfdb462,
                                   0xb3de69, 0xfccde5, 0xbc80bd, 0xccebc5, 0xffed6f};
#define NO_CHANNEL_COLOUR 0xd9d9d9
#define HEADER_COLOUR 0xdbe8f5
#define LEFT_COLOUR 0xf2f2f2
#define LANE_COLOUR 0xf7f7f7

typedef struct lay {
    kr_map_layout *l;
    const kr_model *m;
    const kr_model_info *info;
    const kr_phases_group *data; /* everyone, or NULL */
    bool en;
    PangoContext *ctx;
    PangoLayout *pl;
    size_t box_cap, text_cap, curve_cap;
    bool failed;
    size_t broken; /* texts with a word broken inside, as laid out by the last build */
    double scale;  /* of every font (and the lanes sized by them): 1 to 1.5 */
    double card_font;
    double col_x0, col_w, label_x;
    kr_str *channels; /* distinct channels, model order */
    size_t channel_count;
} lay;

#define T(nl_, en_) (L->en ? (en_) : (nl_))

static void *grow(void *p, size_t *cap, size_t need, size_t size, bool *failed)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * size);
    if (!q) {
        *failed = true;
        return NULL;
    }
    *cap = n;
    return q;
}

static const char *own(lay *L, const char *text, size_t len)
{
    kr_map_layout *l = L->l;
    char **texts = grow(l->texts, &L->text_cap, l->text_count + 1, sizeof *texts, &L->failed);
    if (!texts)
        return NULL;
    l->texts = texts;
    char *s = malloc(len + 1);
    if (!s) {
        L->failed = true;
        return NULL;
    }
    memcpy(s, text, len);
    s[len] = '\0';
    l->texts[l->text_count++] = s;
    return s;
}

/* Returns the index of a new box, or SIZE_MAX when out of memory. */
static size_t add_box(lay *L, kr_map_box_kind kind, double x, double y, double w, double h)
{
    kr_map_layout *l = L->l;
    kr_map_box *boxes = grow(l->boxes, &L->box_cap, l->box_count + 1, sizeof *boxes, &L->failed);
    if (!boxes)
        return SIZE_MAX;
    l->boxes = boxes;
    kr_map_box *b = &l->boxes[l->box_count];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->x = x;
    b->y = y;
    b->w = w;
    b->h = h;
    b->fill = KR_MAP_NO_COLOUR;
    b->phase = KR_MAP_NO_INDEX;
    b->touchpoint = KR_MAP_NO_INDEX;
    return l->box_count++;
}

enum { PLAIN = 0, BOLD = 1, ITALIC = 2, CENTER = 4 };

/*
 * Places text (len bytes) in a box of width w at (x, y) and returns the box's height: the
 * height pango needs for it at that width, plus padding; 0 for empty text or when out of
 * memory (L->failed says which).
 */
static double add_text(lay *L, kr_map_box_kind kind, double x, double y, double w, const char *text,
                       size_t len, double size, int style, double pad, uint32_t fill)
{
    if (!len || L->failed)
        return 0;
    const char *s = own(L, text, len);
    if (!s)
        return 0;
    size_t i = add_box(L, kind, x, y, w, 0);
    if (i == SIZE_MAX)
        return 0;
    kr_map_box *b = &L->l->boxes[i];
    b->text = s;
    b->font_size = size;
    b->pad = pad;
    b->bold = style & BOLD;
    b->italic = style & ITALIC;
    b->centered = style & CENTER;
    b->fill = fill;
    kr__map_pango_box(L->pl, b);
    int pw, ph;
    pango_layout_get_size(L->pl, &pw, &ph);
    b->h = (double)ph / PANGO_SCALE + 2 * pad + SLACK;
    /* A word wider than the box is broken inside (WORD_CHAR); count them, as larger fonts
       are only worth it when they break no more words than the normal size. */
    pango_layout_set_wrap(L->pl, PANGO_WRAP_WORD);
    pango_layout_get_size(L->pl, &pw, &ph);
    if ((double)pw / PANGO_SCALE > w - 2 * pad)
        L->broken++;
    if (kind == KR_MAP_BOX_ARROW)
        b->h += 6; /* the arrow under the percentage */
    return b->h;
}

static double add_cstr(lay *L, double x, double y, double w, const char *text, double size,
                       int style)
{
    return add_text(L, KR_MAP_BOX_TEXT, x, y, w, text, strlen(text), size, style, TEXT_PAD,
                    KR_MAP_NO_COLOUR);
}

static double add_buf(lay *L, double x, double y, double w, kr__map_buf *b, double size, int style)
{
    if (b->failed)
        L->failed = true;
    double h = b->ptr ? add_text(L, KR_MAP_BOX_TEXT, x, y, w, b->ptr, b->len, size, style, TEXT_PAD,
                                 KR_MAP_NO_COLOUR)
                      : 0;
    free(b->ptr);
    memset(b, 0, sizeof *b);
    return h;
}

static void add_str(kr__map_buf *b, kr_str s)
{
    kr__map_buf_add(b, s.ptr ? s.ptr : "", s.len);
}

static kr_str name_of(lay *L, kr_model_text t, kr_str id)
{
    return kr__map_text(t, L->en, id);
}

static uint32_t channel_colour(lay *L, kr_str ch)
{
    if (!ch.len)
        return NO_CHANNEL_COLOUR;
    for (size_t i = 0; i < L->channel_count; i++)
        if (kr_str_eq(L->channels[i], ch))
            return palette[i % (sizeof palette / sizeof palette[0])];
    return NO_CHANNEL_COLOUR;
}

static void pct(lay *L, char *buf, size_t len, double r)
{
    if (isnan(r)) {
        snprintf(buf, len, "-");
        return;
    }
    snprintf(buf, len, "%.1f%%", 100.0 * r);
    if (!L->en)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

/* One section of the left column: a heading and its text; returns the new y. */
static double left_section(lay *L, double y, const char *heading, kr__map_buf *text)
{
    if (!text->len) {
        free(text->ptr);
        memset(text, 0, sizeof *text);
        return y;
    }
    y += add_cstr(L, MARGIN, y, LEFT_W, heading, FONT_HEAD, BOLD);
    y += add_buf(L, MARGIN, y, LEFT_W, text, FONT_TEXT, PLAIN);
    return y + GAP;
}

static double left_column(lay *L, double y)
{
    const kr_model_scope *sc = &L->info->scope;
    kr__map_buf b = {0};
    add_str(&b, sc->goal);
    y = left_section(L, y, T("Doel", "Goal"), &b);
    add_str(&b, sc->scope);
    y = left_section(L, y, "Scope", &b);
    for (size_t i = 0; i < sc->stakeholder_count; i++) {
        kr__map_buf_add(&b, i ? ", " : "", i ? 2 : 0);
        add_str(&b, sc->stakeholders[i]);
    }
    y = left_section(L, y, "Stakeholders", &b);
    for (size_t i = 0; i < L->info->persona_count; i++) {
        const kr_model_persona *p = &L->info->personas[i];
        kr__map_buf_add(&b, i ? "\n" : "", i ? 1 : 0);
        add_str(&b, name_of(L, p->name, p->id));
    }
    y = left_section(L, y, T("Persona's", "Personas"), &b);
    for (size_t i = 0; i < L->info->brand_value_count; i++) {
        kr__map_buf_add(&b, i ? ", " : "", i ? 2 : 0);
        add_str(&b, name_of(L, L->info->brand_values[i], KR_STR_NULL));
    }
    y = left_section(L, y, T("Merkwaarden", "Brand values"), &b);
    kr_str v = sc->version;
    add_str(&b, v.len ? v : kr_str_from_cstr("1.0"));
    if (!v.len || kr_str_eq_cstr(v, "1.0"))
        kr__map_buf_printf(
            &b, " %s", T("(aannames, nog niet gevalideerd)", "(assumptions, not yet validated)"));
    else if (kr_str_eq_cstr(v, "2.0"))
        kr__map_buf_printf(&b, " %s", T("(gevalideerd met klanten)", "(validated with customers)"));
    if (sc->date.len) {
        kr__map_buf_printf(&b, "\n%s ", T("datum", "date"));
        add_str(&b, sc->date);
    }
    if (sc->owner.len) {
        kr__map_buf_printf(&b, "\n%s ", T("eigenaar", "owner"));
        add_str(&b, sc->owner);
    }
    y = left_section(L, y, T("Versie", "Version"), &b);
    if (L->data) {
        const kr_phases_group *g = L->data;
        kr__map_buf_printf(&b, "%" PRIu64 " %s, %" PRIu64 " %s", g->persons,
                           T("personen", "persons"), g->in_journey,
                           T("in de klantreis", "in the journey"));
        if (L->info->conversion.defined)
            kr__map_buf_printf(&b, ", %" PRIu64 " %s", g->converted, T("klanten", "customers"));
        y = left_section(L, y, "Data", &b);
    }
    if (L->channel_count) {
        y += add_cstr(L, MARGIN, y, LEFT_W, T("Kanalen", "Channels"), FONT_HEAD, BOLD);
        for (size_t i = 0; i < L->channel_count; i++) {
            size_t s = add_box(L, KR_MAP_BOX_SWATCH, MARGIN + TEXT_PAD, y + 2, 10 * L->scale,
                               10 * L->scale);
            if (s == SIZE_MAX)
                return y;
            L->l->boxes[s].fill = channel_colour(L, L->channels[i]);
            double tx = TEXT_PAD + 14 * L->scale; /* after the swatch */
            double h = add_text(L, KR_MAP_BOX_TEXT, MARGIN + tx, y, LEFT_W - tx, L->channels[i].ptr,
                                L->channels[i].len, FONT_TEXT, PLAIN, TEXT_PAD, KR_MAP_NO_COLOUR);
            y += fmax(h, 13 * L->scale);
        }
        y += GAP;
    }
    return y;
}

static double col_x(const lay *L, size_t k)
{
    return L->col_x0 + (double)k * (L->col_w + GAP);
}

/* A lane label (and its background across the phases) once the row's height is known. */
static double finish_row(lay *L, double y, double row_h, const char *label, size_t from)
{
    if (row_h <= 0) /* nothing in this lane (no KPIs in the model, say): leave it out */
        return y;
    double lh = label ? add_cstr(L, L->label_x, y, LABEL_W, label, FONT_TEXT, BOLD) : 0;
    row_h = fmax(row_h, lh);
    /* Stretch the filled cells of the row (the phase headers) to one height. */
    for (size_t i = from; i < L->l->box_count; i++) {
        kr_map_box *b = &L->l->boxes[i];
        if (b->kind == KR_MAP_BOX_TEXT && b->fill != KR_MAP_NO_COLOUR && b->y == y)
            b->h = row_h;
    }
    if (label && L->info->phase_count) {
        double x1 = col_x(L, L->info->phase_count - 1) + L->col_w;
        size_t p = add_box(L, KR_MAP_BOX_PANEL, L->label_x, y, x1 - L->label_x, row_h);
        if (p != SIZE_MAX)
            L->l->boxes[p].fill = LANE_COLOUR;
    }
    return y + row_h + GAP;
}

static double emotion_of(const kr_model_phase *ph, const kr_model_touchpoint *tp, bool *has)
{
    *has = tp->has_expected_emotion || ph->has_expected_emotion;
    double e = tp->has_expected_emotion ? tp->expected_emotion : ph->expected_emotion;
    return fmin(2.0, fmax(-2.0, e));
}

static double phase_rows(lay *L, double y)
{
    const kr_model_info *info = L->info;
    size_t n = info->phase_count;
    double w = L->col_w, row;
    size_t from = L->l->box_count;

    /* Names and the customer's goal. */
    row = 0;
    for (size_t k = 0; k < n; k++) {
        const kr_model_phase *ph = &info->phases[k];
        kr_str s = name_of(L, ph->name, ph->id);
        row = fmax(row, add_text(L, KR_MAP_BOX_TEXT, col_x(L, k), y, w, s.ptr, s.len,
                                 12.0 * L->scale, BOLD | CENTER, 4.0, HEADER_COLOUR));
    }
    y = finish_row(L, y, row, NULL, from);
    row = 0;
    from = L->l->box_count;
    for (size_t k = 0; k < n; k++) {
        kr_str s = kr__map_text(info->phases[k].goal, L->en, KR_STR_NULL);
        row = fmax(row, add_text(L, KR_MAP_BOX_TEXT, col_x(L, k), y, w, s.ptr, s.len, FONT_TEXT,
                                 ITALIC | CENTER, TEXT_PAD, KR_MAP_NO_COLOUR));
    }
    y = finish_row(L, y, row, T("Doel klant", "Customer goal"), from);

    if (L->data) {
        row = 0;
        from = L->l->box_count;
        for (size_t k = 0; k < n; k++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%" PRIu64 " %s", L->data->rows[k].reached,
                     T("personen", "persons"));
            row = fmax(row, add_cstr(L, col_x(L, k), y, w, buf, 10.0 * L->scale, BOLD | CENTER));
        }
        y = finish_row(L, y, row, T("Bereikt", "Reached"), from);
        /* Arrows centred on the gaps between columns; at most a column wide, so two never
           meet. */
        row = 0;
        from = L->l->box_count;
        double aw = fmin(w, 70.0);
        for (size_t k = 1; k < n; k++) {
            char buf[64], p[32];
            pct(L, p, sizeof p, L->data->rows[k].conversion_prev);
            snprintf(buf, sizeof buf, "%s", p);
            double cx = col_x(L, k) - GAP / 2;
            row = fmax(row, add_text(L, KR_MAP_BOX_ARROW, cx - aw / 2, y, aw, buf, strlen(buf),
                                     FONT_TEXT, BOLD | CENTER, TEXT_PAD, KR_MAP_NO_COLOUR));
        }
        y = finish_row(L, y, row, T("Conversie", "Conversion"), from);
    }

    /* Touchpoint cards, stacked in each phase: in one column, or for a phase with many
       touchpoints in a wide column, in sub-columns of about ten cards (filled top to bottom,
       then left to right) that are at least CARD_MIN_W wide. */
    row = 0;
    from = L->l->box_count;
    for (size_t k = 0; k < n; k++) {
        const kr_model_phase *ph = &info->phases[k];
        size_t count = ph->touchpoint_count;
        size_t max_sub = (size_t)floor((w + CARD_GAP) / (CARD_MIN_W + CARD_GAP));
        size_t sub = (count + CARDS_PER_SUB - 1) / CARDS_PER_SUB;
        sub = sub > max_sub ? max_sub : sub;
        sub = sub < 1 ? 1 : sub;
        size_t per = (count + sub - 1) / sub;
        double sw = (w - (double)(sub - 1) * CARD_GAP) / (double)sub;
        for (size_t j = 0; j < sub; j++) {
            double cy = y;
            for (size_t i = j * per; i < count && i < (j + 1) * per; i++) {
                uint32_t t = ph->first_touchpoint + (uint32_t)i;
                const kr_model_touchpoint *tp = &info->touchpoints[t];
                kr__map_buf b = {0};
                add_str(&b, name_of(L, tp->name, tp->id));
                if (L->data)
                    kr__map_buf_printf(&b, "\n%" PRIu64 " %s", L->data->touchpoint_persons[t],
                                       T("pers.", "pers."));
                if (b.failed || !b.ptr) {
                    L->failed = true;
                    free(b.ptr);
                    return y;
                }
                double h = add_text(L, KR_MAP_BOX_CARD, col_x(L, k) + (double)j * (sw + CARD_GAP),
                                    cy, sw, b.ptr, b.len, L->card_font, PLAIN, CARD_PAD,
                                    channel_colour(L, tp->channel));
                free(b.ptr);
                if (L->failed)
                    return y;
                kr_map_box *c = &L->l->boxes[L->l->box_count - 1];
                c->phase = (uint32_t)k;
                c->touchpoint = t;
                cy += h + CARD_GAP;
            }
            row = fmax(row, cy - y - CARD_GAP);
        }
    }
    y = finish_row(L, y, row, "Touchpoints", from);

    /* The expected emotion: a lane per phase; a point per touchpoint, spread across it. */
    from = L->l->box_count;
    double top = y + 4, span = EMOTION_H - 8;
    for (size_t k = 0; k < n; k++) {
        const kr_model_phase *ph = &info->phases[k];
        size_t e = add_box(L, KR_MAP_BOX_EMOTION, col_x(L, k), y, w, EMOTION_H);
        if (e == SIZE_MAX)
            return y;
        L->l->boxes[e].phase = (uint32_t)k;
        for (uint32_t i = 0; i < ph->touchpoint_count; i++) {
            uint32_t t = ph->first_touchpoint + i;
            bool has;
            double em = emotion_of(ph, &info->touchpoints[t], &has);
            if (!has)
                continue;
            kr_map_layout *l = L->l;
            kr_map_point *c =
                grow(l->curve, &L->curve_cap, l->curve_count + 1, sizeof *c, &L->failed);
            if (!c)
                return y;
            l->curve = c;
            l->curve[l->curve_count++] =
                (kr_map_point){col_x(L, k) + w * (i + 0.5) / ph->touchpoint_count,
                               top + (2.0 - em) / 4.0 * span, t};
        }
    }
    /* The scale, right-aligned in the label column beside the lane's label. */
    static const char *const scale[] = {"+2", "0", "-2"};
    for (int i = 0; i < 3; i++) {
        double sy = top + span * i / 2.0 - 5.0 * L->scale;
        sy = fmin(fmax(sy, y), y + EMOTION_H - 10.0 * L->scale);
        add_text(L, KR_MAP_BOX_TEXT, L->label_x + LABEL_W - SCALE_W, sy, SCALE_W, scale[i],
                 strlen(scale[i]), 6.0 * L->scale, CENTER, 0.5, KR_MAP_NO_COLOUR);
    }
    double lh = add_cstr(L, L->label_x, y, LABEL_W - SCALE_W - 2,
                         T("Emotie (verwacht)", "Emotion (expected)"), FONT_TEXT, BOLD);
    y = finish_row(L, y, fmax(EMOTION_H, lh), NULL, from);

    /* KPIs and brand values. */
    row = 0;
    from = L->l->box_count;
    for (size_t k = 0; k < n; k++) {
        const kr_model_phase *ph = &info->phases[k];
        kr__map_buf b = {0};
        for (size_t i = 0; i < ph->kpi_count; i++) {
            kr__map_buf_add(&b, i ? "\n" : "", i ? 1 : 0);
            kr__map_buf_add(&b, "\xe2\x80\xa2 ", 4); /* bullet */
            add_str(&b, ph->kpis[i]);
        }
        row = fmax(row, add_buf(L, col_x(L, k), y, w, &b, FONT_TEXT, PLAIN));
    }
    y = finish_row(L, y, row, T("KPI's", "KPIs"), from);
    row = 0;
    from = L->l->box_count;
    for (size_t k = 0; k < n; k++) {
        const kr_model_phase *ph = &info->phases[k];
        kr__map_buf b = {0};
        size_t shown = 0;
        for (uint32_t i = 0; i < ph->touchpoint_count; i++) {
            kr_str bv = info->touchpoints[ph->first_touchpoint + i].brand_value;
            bool seen = !bv.len;
            for (uint32_t j = 0; j < i && !seen; j++)
                seen = kr_str_eq(info->touchpoints[ph->first_touchpoint + j].brand_value, bv);
            if (seen)
                continue;
            if (shown++)
                kr__map_buf_add(&b, "\n", 1);
            add_str(&b, bv);
        }
        row = fmax(row, add_buf(L, col_x(L, k), y, w, &b, FONT_TEXT, CENTER));
    }
    y = finish_row(L, y, row, T("Merkwaarden", "Brand values"), from);

    if (L->data) {
        row = 0;
        from = L->l->box_count;
        for (size_t k = 0; k < n; k++) {
            const kr_phases_row *r = &L->data->rows[k];
            kr__map_buf b = {0};
            char p[32];
            pct(L, p, sizeof p, r->reached ? (double)r->dropped / (double)r->reached : NAN);
            kr__map_buf_printf(&b, "%" PRIu64 " (%s)", r->dropped, p);
            for (size_t i = 0; i < r->last_touchpoint_count && i < 3; i++) {
                const kr_model_touchpoint *tp =
                    &info->touchpoints[r->last_touchpoints[i].touchpoint];
                kr__map_buf_printf(&b, "%s", i ? ", " : T("\nna: ", "\nafter: "));
                add_str(&b, name_of(L, tp->name, tp->id));
                kr__map_buf_printf(&b, " (%" PRIu64 ")", r->last_touchpoints[i].persons);
            }
            row = fmax(row, add_buf(L, col_x(L, k), y, w, &b, FONT_TEXT, PLAIN));
        }
        y = finish_row(L, y, row, T("Afgehaakt", "Dropped off"), from);
    }
    return y;
}

/* The whole page with cards at font size card_font; returns the height it needs. */
static double build(lay *L)
{
    kr_map_layout *l = L->l;
    for (size_t i = 0; i < l->text_count; i++)
        free(l->texts[i]);
    l->text_count = l->box_count = l->curve_count = 0;
    L->broken = 0;

    size_t n = L->info->phase_count;
    l->width = PAGE_W;
    L->label_x = MARGIN + LEFT_W + 2 * GAP;
    L->col_x0 = L->label_x + LABEL_W + GAP;
    double avail = PAGE_W - MARGIN - L->col_x0;
    L->col_w = n ? (avail - (double)(n - 1) * GAP) / (double)n : avail;
    if (L->col_w < MIN_COL_W) {
        L->col_w = MIN_COL_W;
        l->width = L->col_x0 + (double)n * MIN_COL_W + (double)(n - 1) * GAP + MARGIN;
    }

    const char *title = T("Klantreis", "Customer journey");
    kr__map_buf b = {0};
    kr__map_buf_printf(&b, "%s", title);
    if (L->info->scope.goal.len) {
        kr__map_buf_add(&b, ": ", 2);
        add_str(&b, L->info->scope.goal);
    }
    double y = MARGIN;
    y += add_buf(L, MARGIN, y, l->width - 2 * MARGIN, &b, 18.0 * L->scale, BOLD) + GAP;
    size_t left_panel = add_box(L, KR_MAP_BOX_PANEL, MARGIN - 4, y - 2, LEFT_W + 8, 0);
    double left_bottom = left_column(L, y);
    if (left_panel != SIZE_MAX)
        l->boxes[left_panel].h = left_bottom - y;
    double right_bottom = n ? phase_rows(L, y) : y;
    return fmax(left_bottom, right_bottom) + MARGIN;
}

static int collect_channels(lay *L)
{
    const kr_model_info *info = L->info;
    L->channels = calloc(info->touchpoint_count + 1, sizeof *L->channels);
    if (!L->channels)
        return KR_ENOMEM;
    for (size_t i = 0; i < info->touchpoint_count; i++) {
        kr_str ch = info->touchpoints[i].channel;
        bool seen = !ch.len;
        for (size_t j = 0; j < L->channel_count && !seen; j++)
            seen = kr_str_eq(L->channels[j], ch);
        if (!seen)
            L->channels[L->channel_count++] = ch;
    }
    return KR_OK;
}

int kr_map_layout_run(kr_map_layout *out, const kr_model *m, const kr_phases_result *data,
                      const kr_map_options *o)
{
    static const double scales[] = {1.5, 1.4, 1.3, 1.2, 1.1};
    static const double card_fonts[] = {8.5, 8.0, 7.5, 7.0, 6.5, 6.0};
    memset(out, 0, sizeof *out);
    const char *lang = o ? o->lang : NULL;
    if (lang && strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
        return KR_EINVAL;
    lay L = {0};
    L.l = out;
    L.m = m;
    L.info = kr_model_get(m);
    L.en = kr__map_lang_en(m, lang);
    if (data && data->group_count && data->phase_count == L.info->phase_count)
        L.data = &data->groups[0];
    int rc = collect_channels(&L);
    if (rc < 0)
        goto done;
    L.ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
    L.pl = L.ctx ? pango_layout_new(L.ctx) : NULL;
    if (!L.pl) {
        rc = KR_ENOMEM;
        goto done;
    }
    kr__map_pango_setup(L.ctx);
    /* The normal size first: when it fits A3, the largest fonts (a poster is read from a
       distance) that fit too and break no more words inside than the normal size does; when
       it does not fit, smaller cards, then a taller page. */
    L.scale = 1.0;
    L.card_font = card_fonts[0];
    double need = build(&L);
    size_t base_broken = L.broken;
    bool fits = need <= PAGE_H, larger = false;
    for (size_t i = 0; fits && !larger && !L.failed && i < sizeof scales / sizeof scales[0]; i++) {
        L.scale = scales[i];
        L.card_font = card_fonts[0] * L.scale;
        need = build(&L);
        larger = need <= PAGE_H && L.broken <= base_broken;
    }
    if (fits && !larger && !L.failed) {
        L.scale = 1.0;
        L.card_font = card_fonts[0];
        need = build(&L);
    }
    for (size_t i = 1; i < sizeof card_fonts / sizeof card_fonts[0] && !fits && !L.failed; i++) {
        L.card_font = card_fonts[i];
        need = build(&L);
        fits = need <= PAGE_H;
    }
    if (L.failed) {
        rc = KR_ENOMEM;
        goto done;
    }
    out->card_font = L.card_font;
    out->height = fmax(PAGE_H, ceil(need));
    rc = KR_OK;
done:
    if (L.pl)
        g_object_unref(L.pl);
    if (L.ctx)
        g_object_unref(L.ctx);
    free(L.channels);
    return rc;
}

void kr_map_layout_finish(kr_map_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->text_count; i++)
        free(l->texts[i]);
    free(l->texts);
    free(l->boxes);
    free(l->curve);
    memset(l, 0, sizeof *l);
}

/* ---- pango, shared with the drawing --------------------------------------------------- */

void kr__map_pango_setup(PangoContext *ctx)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
}

void kr__map_pango_box(PangoLayout *pl, const kr_map_box *b)
{
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans, Sans");
    pango_font_description_set_absolute_size(fd, b->font_size * PANGO_SCALE);
    pango_font_description_set_weight(fd, b->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, b->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(pl, (int)((b->w - 2 * b->pad) * PANGO_SCALE));
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(pl, b->centered ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
    pango_layout_set_text(pl, b->text ? b->text : "", -1);
}
