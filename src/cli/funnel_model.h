/*
 * funnel_model.h - funnels over a journey model (klantreis funnel --model): steps and
 * exclusions that name touchpoints and phases, and the persona breakdown.
 */
#ifndef KR_CLI_FUNNEL_MODEL_H
#define KR_CLI_FUNNEL_MODEL_H

#include "klantreis/funnel.h"
#include "klantreis/model.h"

/* What the funnel borrows from the model: per event its touchpoint and phase (as funnel
   tags), the rewritten steps, and per person the persona. */
typedef struct funnel_model {
    uint16_t *tags;   /* touchpoint index + 1 per event, 0 for none */
    uint16_t *groups; /* phase index + 1 per event, 0 for none */
    char *specs[KR_FUNNEL_MAX_STEPS + KR_FUNNEL_MAX_EXCLUSIONS]; /* owned rewritten rules */
    size_t spec_count;
    kr_str *persona_names; /* persona ids, for the breakdown */
} funnel_model;

/**
 * Rewrites a step or exclusion for the model: a bare touchpoint id becomes "tag=N", a bare
 * phase id "group=N" (touchpoints win over phases, both over event names: write event=NAME for
 * an event named like one of them), and in a rule the keys touchpoint=ID and phase=ID become
 * tag=N and group=N. *out is spec itself or a string owned by fm. Returns KR_OK, KR_EINVAL
 * (an unknown touchpoint or phase id; the reason in err) or KR_ENOMEM.
 */
int funnel_model_rewrite(funnel_model *fm, const kr_model *m, const char *spec, const char **out,
                         char *err, size_t errlen);

/**
 * Fills the per-event tags from the compiled match and points o at them; with by_persona also
 * the persona breakdown (o->by_person). Returns KR_OK or KR_ENOMEM.
 */
int funnel_model_bind(funnel_model *fm, const kr_model *m, const kr_model_match *mm,
                      const kr_table *t, bool by_persona, kr_funnel_options *o);

/** Frees what fm holds. */
void funnel_model_finish(funnel_model *fm);

#endif
