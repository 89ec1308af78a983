/*
 * paths_json.c - a paths result as JSON (see paths.h): the CLI's --format json and the HTTP
 * API's answer. Shape:
 *
 *     {"of": "event", "per": "person", "depth": 5, "from": null, "to": null, "persons": 9,
 *      "distinct_paths": 4, "paths": [{"path": ["view", "cart"], "persons": 5, "share": 0.55}],
 *      "sankey": {"nodes": [{"id": "0:view", "step": 0, "name": "view", "value": 7}],
 *                 "links": [{"source": "0:view", "target": "1:cart", "value": 5}]}}
 *
 * Per session the counts are named "sessions" instead of "persons" (and session_gap_ms added).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "klantreis/paths.h"

/* "step:name" as a JSON string; NULL when out of memory. */
static json_t *node_id(uint32_t step, kr_str name)
{
    char prefix[16];
    int n = snprintf(prefix, sizeof prefix, "%" PRIu32 ":", step);
    size_t len = (size_t)n + name.len;
    char *buf = malloc(len + 1);
    if (!buf)
        return NULL;
    memcpy(buf, prefix, (size_t)n);
    if (name.len)
        memcpy(buf + n, name.ptr, name.len);
    json_t *s = json_stringn(buf, len);
    free(buf);
    return s;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

char *kr_paths_to_json(const kr_paths_result *r, const kr_paths_options *o, bool pretty)
{
    char *text = NULL;
    const char *unit = r->per == KR_PATHS_PER_SESSION ? "sessions" : "persons";
    json_t *paths = json_array(), *nodes = json_array(), *links = json_array();
    json_t *root =
        json_pack("{s:s, s:s, s:I, s:o, s:o, s:I, s:I}", "of", kr_paths_of_name(o->of), "per",
                  r->per == KR_PATHS_PER_SESSION ? "session" : "person", "depth",
                  (json_int_t)o->depth, "from", str_or_null(o->from), "to", str_or_null(o->to),
                  unit, (json_int_t)r->units, "distinct_paths", (json_int_t)r->distinct);
    if (!root || !paths || !nodes || !links)
        goto done;
    if (r->per == KR_PATHS_PER_SESSION &&
        json_object_set_new(root, "session_gap_ms", json_integer(o->session_gap_ms)) < 0)
        goto done;
    if (o->after_drop_off) {
        json_t *steps = json_array();
        json_t *d = json_pack("{s:o, s:I}", "steps", steps, "step", (json_int_t)o->after_drop_off);
        if (!d || json_object_set_new(root, "after_drop_off", d) < 0)
            goto done;
        for (size_t k = 0; k < o->step_count; k++)
            if (json_array_append_new(steps, json_string(o->steps[k])) < 0)
                goto done;
    }
    if (json_object_set(root, "paths", paths) < 0)
        goto done;
    json_t *sankey = json_pack("{s:O, s:O}", "nodes", nodes, "links", links);
    if (!sankey || json_object_set_new(root, "sankey", sankey) < 0)
        goto done;
    for (size_t i = 0; i < r->path_count; i++) {
        const kr_paths_path *p = &r->paths[i];
        json_t *steps = json_array();
        json_t *j = json_pack("{s:o, s:I, s:f}", "path", steps, unit, (json_int_t)p->count, "share",
                              p->share);
        if (!j || json_array_append_new(paths, j) < 0)
            goto done;
        for (size_t k = 0; k < p->len; k++)
            if (json_array_append_new(steps, json_stringn(p->steps[k].ptr ? p->steps[k].ptr : "",
                                                          p->steps[k].len)) < 0)
                goto done;
    }
    for (size_t i = 0; i < r->node_count; i++) {
        const kr_paths_node *n = &r->nodes[i];
        json_t *j = json_pack("{s:o, s:I, s:s%, s:I}", "id", node_id(n->step, n->name), "step",
                              (json_int_t)n->step, "name", n->name.ptr ? n->name.ptr : "",
                              n->name.len, "value", (json_int_t)n->value);
        if (!j || json_array_append_new(nodes, j) < 0)
            goto done;
    }
    for (size_t i = 0; i < r->link_count; i++) {
        const kr_paths_link *l = &r->links[i];
        json_t *j = json_pack("{s:o, s:o, s:I}", "source", node_id(l->step, l->source), "target",
                              node_id(l->step + 1, l->target), "value", (json_int_t)l->value);
        if (!j || json_array_append_new(links, j) < 0)
            goto done;
    }
    text = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
done:
    json_decref(paths);
    json_decref(nodes);
    json_decref(links);
    json_decref(root);
    return text;
}
