/*
 * map_draw.c - paints a journey-map layout (map_layout.c) with cairo and pango as PDF, PNG or
 * SVG. Nothing is placed here: every position comes from the layout.
 *
 *     kr_map_render_file(&layout, KR_MAP_SVG, "map.svg");
 *
 * cairo's SVG surface draws glyphs as paths, so the SVG also gets a transparent text layer
 * (one <text> per line, at pango's own line positions): the poster stays searchable and
 * selectable in a browser, and tests can read its text.
 */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "map_internal.h"

#define PNG_DPI 150.0
#define PNG_MAX_PX 32000.0 /* cairo's image surfaces stop at 32767 pixels a side */

static void set_rgb(cairo_t *cr, uint32_t c)
{
    cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
                         (c & 0xff) / 255.0);
}

static void rounded(cairo_t *cr, double x, double y, double w, double h, double r)
{
    r = fmin(r, fmin(w, h) / 2);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static double emotion_y(const kr_map_box *b, double e)
{
    return b->y + 4 + (2.0 - e) / 4.0 * (b->h - 8);
}

static void xml_escaped(kr__map_buf *out, const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '&')
            kr__map_buf_add(out, "&amp;", 5);
        else if (c == '<')
            kr__map_buf_add(out, "&lt;", 4);
        else if (c == '>')
            kr__map_buf_add(out, "&gt;", 4);
        else if (c < 0x20 || c == 0x7f)
            kr__map_buf_add(out, " ", 1);
        else
            kr__map_buf_add(out, &p[i], 1);
    }
}

/* The text of box b: drawn, and, when svg_text is not NULL, added to it as <text> lines. */
static void draw_text(cairo_t *cr, PangoLayout *pl, const kr_map_box *b, kr__map_buf *svg_text)
{
    kr__map_pango_box(pl, b);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, b->x + b->pad, b->y + b->pad);
    pango_cairo_show_layout(cr, pl);
    if (!svg_text)
        return;
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        size_t len = (size_t)line->length;
        while (len && (b->text[line->start_index + len - 1] == '\n'))
            len--;
        if (!len)
            continue;
        kr__map_buf_printf(
            svg_text, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s%s>",
            b->x + b->pad + (double)logical.x / PANGO_SCALE, b->y + b->pad + baseline, b->font_size,
            b->bold ? " font-weight=\"bold\"" : "", b->italic ? " font-style=\"italic\"" : "");
        xml_escaped(svg_text, b->text + line->start_index, len);
        kr__map_buf_add(svg_text, "</text>\n", 8);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void draw_emotion(cairo_t *cr, const kr_map_box *b)
{
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.97);
    cairo_rectangle(cr, b->x, b->y, b->w, b->h);
    cairo_fill(cr);
    for (int e = -2; e <= 2; e += 2) {
        double y = emotion_y(b, e);
        cairo_set_line_width(cr, e == 0 ? 0.8 : 0.4);
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        cairo_move_to(cr, b->x, y);
        cairo_line_to(cr, b->x + b->w, y);
        cairo_stroke(cr);
    }
}

static void draw_arrow(cairo_t *cr, const kr_map_box *b)
{
    double y = b->y + b->h - 3, x0 = b->x + 2, x1 = b->x + b->w - 2;
    cairo_set_source_rgb(cr, 0.25, 0.35, 0.55);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, x0, y);
    cairo_line_to(cr, x1 - 4, y);
    cairo_stroke(cr);
    cairo_move_to(cr, x1, y);
    cairo_line_to(cr, x1 - 5, y - 2.5);
    cairo_line_to(cr, x1 - 5, y + 2.5);
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void draw(cairo_t *cr, const kr_map_layout *l, kr__map_buf *svg_text)
{
    set_rgb(cr, 0xffffff);
    cairo_paint(cr);
    PangoContext *ctx = pango_cairo_create_context(cr);
    kr__map_pango_setup(ctx);
    PangoLayout *pl = pango_layout_new(ctx);
    /* Backgrounds first: panels lie under the boxes in them. */
    for (size_t i = 0; i < l->box_count; i++) {
        const kr_map_box *b = &l->boxes[i];
        if (b->kind != KR_MAP_BOX_PANEL || b->fill == KR_MAP_NO_COLOUR)
            continue;
        set_rgb(cr, b->fill);
        cairo_rectangle(cr, b->x, b->y, b->w, b->h);
        cairo_fill(cr);
    }
    for (size_t i = 0; i < l->box_count; i++) {
        const kr_map_box *b = &l->boxes[i];
        switch (b->kind) {
        case KR_MAP_BOX_PANEL:
            continue;
        case KR_MAP_BOX_EMOTION:
            draw_emotion(cr, b);
            continue;
        case KR_MAP_BOX_SWATCH:
        case KR_MAP_BOX_CARD:
            rounded(cr, b->x + 0.5, b->y + 0.5, b->w - 1, b->h - 1,
                    b->kind == KR_MAP_BOX_CARD ? 3 : 1);
            set_rgb(cr, b->fill == KR_MAP_NO_COLOUR ? 0xffffff : b->fill);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
            break;
        case KR_MAP_BOX_ARROW:
            draw_arrow(cr, b);
            break;
        case KR_MAP_BOX_TEXT:
            if (b->fill != KR_MAP_NO_COLOUR) {
                set_rgb(cr, b->fill);
                cairo_rectangle(cr, b->x, b->y, b->w, b->h);
                cairo_fill(cr);
            }
            break;
        }
        if (b->text)
            draw_text(cr, pl, b, svg_text);
    }
    /* The expected emotion curve: dashed, with a dot per touchpoint. */
    if (l->curve_count) {
        double dash[] = {4.0, 3.0};
        cairo_set_source_rgb(cr, 0.2, 0.3, 0.6);
        cairo_set_line_width(cr, 1.2);
        cairo_set_dash(cr, dash, 2, 0);
        for (size_t i = 0; i < l->curve_count; i++)
            (i ? cairo_line_to : cairo_move_to)(cr, l->curve[i].x, l->curve[i].y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        for (size_t i = 0; i < l->curve_count; i++) {
            cairo_new_sub_path(cr);
            cairo_arc(cr, l->curve[i].x, l->curve[i].y, 2.0, 0, 2 * M_PI);
        }
        cairo_fill(cr);
    }
    g_object_unref(pl);
    g_object_unref(ctx);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    kr__map_buf *b = closure;
    kr__map_buf_add(b, (const char *)data, len);
    return b->failed ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static int render_svg(const kr_map_layout *l, const char *path)
{
    kr__map_buf svg = {0}, text = {0};
    int rc = KR_EIO;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_buf, &svg, l->width, l->height);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
    cairo_t *cr = cairo_create(s);
    static const char layer[] =
        "<g id=\"text\" fill-opacity=\"0\" font-family=\"DejaVu Sans, sans-serif\">\n";
    kr__map_buf_add(&text, layer, sizeof layer - 1);
    draw(cr, l, &text);
    kr__map_buf_add(&text, "</g>\n", 5);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    bool ok =
        cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && !svg.failed && !text.failed && svg.ptr;
    cairo_surface_destroy(s);
    if (!ok) {
        rc = svg.failed || text.failed ? KR_ENOMEM : KR_EIO;
        goto done;
    }
    /* The text layer goes last, just before </svg>, so it lies on top for selection. */
    char *end = NULL;
    for (char *p = strstr(svg.ptr, "</svg>"); p; p = strstr(p + 1, "</svg>"))
        end = p;
    if (!end)
        goto done;
    FILE *f = fopen(path, "wb");
    if (!f)
        goto done;
    size_t head = (size_t)(end - svg.ptr), tail = svg.len - head;
    ok = fwrite(svg.ptr, 1, head, f) == head && fwrite(text.ptr, 1, text.len, f) == text.len &&
         fwrite(end, 1, tail, f) == tail;
    if (fclose(f) == 0 && ok)
        rc = KR_OK;
done:
    free(svg.ptr);
    free(text.ptr);
    return rc;
}

int kr_map_render_file(const kr_map_layout *l, kr_map_format f, const char *path)
{
    if (f == KR_MAP_SVG)
        return render_svg(l, path);
    if (f != KR_MAP_PDF && f != KR_MAP_PNG)
        return KR_EINVAL;
    cairo_surface_t *s;
    double scale = PNG_DPI / 72.0;
    if (f == KR_MAP_PDF) {
        s = cairo_pdf_surface_create(path, l->width, l->height);
    } else {
        scale = fmin(scale, PNG_MAX_PX / fmax(l->width, l->height));
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(l->width * scale),
                                       (int)ceil(l->height * scale));
    }
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return KR_EIO;
    }
    cairo_t *cr = cairo_create(s);
    if (f == KR_MAP_PNG)
        cairo_scale(cr, scale, scale);
    draw(cr, l, NULL);
    cairo_destroy(cr);
    int rc = KR_OK;
    if (f == KR_MAP_PNG && cairo_surface_write_to_png(s, path) != CAIRO_STATUS_SUCCESS)
        rc = KR_EIO;
    cairo_surface_finish(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        rc = KR_EIO;
    cairo_surface_destroy(s);
    return rc;
}

int kr_map_format_from_path(kr_map_format *out, const char *path)
{
    static const struct {
        const char *ext;
        kr_map_format f;
    } exts[] = {
        {".pdf", KR_MAP_PDF}, {".png", KR_MAP_PNG}, {".svg", KR_MAP_SVG}, {".mmd", KR_MAP_MERMAID}};
    size_t len = strlen(path);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        if (len > 4 && strcasecmp(path + len - 4, exts[i].ext) == 0) {
            *out = exts[i].f;
            return KR_OK;
        }
    }
    return KR_EINVAL;
}
