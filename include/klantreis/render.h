/*
 * klantreis/render.h - result structs as JSON text: the same JSON for the CLI's --format json
 * and the HTTP API.
 *
 *     char *json = kr_stats_to_json(&st);   // caller frees with free()
 */
#ifndef KLANTREIS_RENDER_H
#define KLANTREIS_RENDER_H

#include "stats.h"

/**
 * The overview as a JSON object: events, persons, identified_persons, accounts,
 * persons_with_account, devices_per_person, multi_device_persons, first, last (ISO 8601 or
 * null), value_events, revenue_cents, score_events, and the lists by_event, by_channel,
 * by_device, by_type ([{"value": "...", "events": N}, ...]). Returns a malloc'd string
 * (pretty-printed when pretty), or NULL when out of memory.
 */
KR_EXTERN char *kr_stats_to_json(const kr_stats *st, bool pretty);

#endif
