/*
 * map_mermaid.c - the journey model as Mermaid's `journey` diagram, so that a map can live in
 * a Markdown file (GitHub, GitLab and most wikis draw it):
 *
 *     char *mmd = kr_map_to_mermaid(model, "nl");   // caller frees
 *
 * Mermaid's grammar ends a task name or a section at ':', '#', ';' or a newline and the title
 * at '#', ';' or a newline, so those characters become spaces.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_internal.h"

void kr__map_buf_add(kr__map_buf *b, const char *p, size_t len)
{
    if (b->failed)
        return;
    if (len > KR__MAP_BUF_MAX - b->len) {
        b->failed = true;
        return;
    }
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *n = realloc(b->ptr, cap);
        if (!n) {
            b->failed = true;
            return;
        }
        b->ptr = n;
        b->cap = cap;
    }
    if (len)
        memcpy(b->ptr + b->len, p, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void kr__map_buf_printf(kr__map_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        kr__map_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    kr__map_buf_add(b, big, (size_t)n);
    free(big);
}

bool kr__map_lang_en(const kr_model *m, const char *lang)
{
    if (lang)
        return strcmp(lang, "en") == 0;
    return kr_str_eq_cstr(kr_model_get(m)->lang, "en");
}

kr_str kr__map_text(kr_model_text t, bool en, kr_str fallback)
{
    kr_str first = en ? t.en : t.nl, second = en ? t.nl : t.en;
    return first.len ? first : second.len ? second : fallback;
}

/* Appends s with the characters that would end the Mermaid item (and control characters)
   as spaces, runs of spaces as one, trimmed; fallback when nothing is left. */
static void add_clean(kr__map_buf *b, kr_str s, bool colon, const char *fallback)
{
    size_t start = b->len;
    bool space = false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        bool bad = c < 0x20 || c == 0x7f || c == '#' || c == ';' || (colon && c == ':');
        if (bad || c == ' ') {
            space = b->len > start;
            continue;
        }
        if (space)
            kr__map_buf_add(b, " ", 1);
        space = false;
        kr__map_buf_add(b, (const char *)&s.ptr[i], 1);
    }
    if (b->len == start && !b->failed)
        kr__map_buf_add(b, fallback, strlen(fallback));
}

char *kr_map_to_mermaid(const kr_model *m, const char *lang)
{
    const kr_model_info *info = kr_model_get(m);
    bool en = kr__map_lang_en(m, lang);
    kr__map_buf b = {0};
    kr__map_buf_add(&b, "journey\n    title ", 18);
    add_clean(&b, info->scope.goal, false, en ? "Customer journey" : "Klantreis");
    kr__map_buf_add(&b, "\n", 1);
    for (size_t k = 0; k < info->phase_count; k++) {
        const kr_model_phase *ph = &info->phases[k];
        kr__map_buf_add(&b, "    section ", 12);
        add_clean(&b, kr__map_text(ph->name, en, ph->id), true, "-");
        kr__map_buf_add(&b, "\n", 1);
        for (uint32_t i = 0; i < ph->touchpoint_count; i++) {
            const kr_model_touchpoint *tp = &info->touchpoints[ph->first_touchpoint + i];
            double e = tp->has_expected_emotion   ? tp->expected_emotion
                       : ph->has_expected_emotion ? ph->expected_emotion
                                                  : 0.0;
            long score = lround(e + 3.0);
            score = score < 1 ? 1 : score > 5 ? 5 : score;
            kr__map_buf_add(&b, "        ", 8);
            add_clean(&b, kr__map_text(tp->name, en, tp->id), true, "-");
            const char *actor = tp->initiated_by == KR_INITIATOR_COMPANY
                                    ? (en ? "Company" : "Organisatie")
                                    : (en ? "Customer" : "Klant");
            kr__map_buf_printf(&b, ": %ld: %s\n", score, actor);
        }
    }
    if (b.failed || !b.ptr) {
        free(b.ptr);
        return NULL;
    }
    return b.ptr;
}
