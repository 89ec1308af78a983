/*
 * klantreis/model.h - the journey model (journey.yaml): scope, personas, phases (chapters,
 * hoofdstukken) with their touchpoints and match rules, micro-conversions, the conversion and
 * brand values; three built-in templates; and the model compiled against a table (which
 * touchpoint every event is, which persona every person is). The format is documented in
 * docs/journey-model.md.
 *
 *     kr_model *m;
 *     if (kr_model_load_file(&m, "journey.yaml") < 0)
 *         fprintf(stderr, "%s\n", kr_model_errmsg(m));   // "journey.yaml:12:7: unknown key ..."
 *     kr_model_match *mm;
 *     if (kr_model_match_new(&mm, m, table) == KR_OK) { use(kr_model_match_events(mm)); }
 *     kr_model_match_free(mm);
 *     kr_model_free(m);
 */
#ifndef KLANTREIS_MODEL_H
#define KLANTREIS_MODEL_H

#include "table.h"

typedef struct kr_model kr_model;
typedef struct kr_model_match kr_model_match;

/* Limits: a model is read from untrusted files (and fuzzed), so everything is capped. */
#define KR_MODEL_MAX_BYTES (1u << 20) /* the YAML text */
#define KR_MODEL_MAX_PHASES 64
#define KR_MODEL_MAX_TOUCHPOINTS 1024
#define KR_MODEL_MAX_PERSONAS 256
#define KR_MODEL_MAX_LIST 256 /* names in one rule, kpis in one phase, ... */

/** "No touchpoint" in kr_model_match_events(); "no persona" in kr_model_match_personas(). */
#define KR_MODEL_NONE UINT16_MAX
#define KR_MODEL_NO_PERSONA UINT32_MAX

/** A text in both languages of the model. A plain YAML string fills both. */
typedef struct kr_model_text {
    kr_str nl;
    kr_str en;
} kr_model_text;

typedef enum { KR_PROP_EQUALS = 0, KR_PROP_PREFIX = 1, KR_PROP_ONE_OF = 2 } kr_model_prop_op;

/** A condition on a free property of the event (see kr_model_match_new). */
typedef struct kr_model_prop_rule {
    kr_str key;
    kr_model_prop_op op;
    const kr_str *values; /* one for equals and prefix */
    size_t value_count;
} kr_model_prop_rule;

/**
 * A match rule on events. Every condition that is given must hold; within one condition any
 * of the listed values will do. Event names compare case-insensitively with ' ', '-' and '_'
 * treated alike ("Order Completed" = "order_completed"); channels and devices compare
 * case-insensitively.
 */
typedef struct kr_model_rule {
    const kr_str *events;
    size_t event_count;
    const kr_str *channels;
    size_t channel_count;
    const kr_str *devices;
    size_t device_count;
    unsigned types; /* bit (1u << kr_event_type) per allowed type; 0 = any type */
    const kr_model_prop_rule *props;
    size_t prop_count;
} kr_model_rule;

typedef enum {
    KR_INITIATOR_UNKNOWN = 0,
    KR_INITIATOR_CUSTOMER = 1,
    KR_INITIATOR_COMPANY = 2,
} kr_model_initiator;

typedef struct kr_model_touchpoint {
    kr_str id;
    kr_model_text name;
    uint32_t phase; /* index of its phase */
    kr_str channel;
    int online; /* 1 online, 0 offline, -1 not said */
    int direct; /* 1 direct, 0 indirect, -1 not said */
    kr_model_initiator initiated_by;
    kr_str brand_value;
    bool has_expected_emotion;
    double expected_emotion; /* -2..+2 */
    bool has_match;          /* false: an unmeasured touchpoint (word of mouth, ...) */
    kr_model_rule match;
    uint32_t line; /* where it starts in the file (1-based) */
} kr_model_touchpoint;

typedef struct kr_model_phase {
    kr_str id;
    kr_model_text name;
    kr_model_text description;
    kr_model_text goal;        /* the customer's goal in this phase */
    uint32_t first_touchpoint; /* touchpoints are stored phase by phase, in file order */
    uint32_t touchpoint_count;
    const kr_str *kpis;
    size_t kpi_count;
    const uint32_t *micro; /* touchpoint indices of the phase's micro-conversions */
    size_t micro_count;
    bool has_expected_conversion;
    double expected_conversion; /* 0..1, from the previous phase (journey 1.0) */
    bool has_expected_emotion;
    double expected_emotion; /* -2..+2 */
    uint32_t line;
} kr_model_phase;

/**
 * A persona (doelgroep). A person gets the first persona, in file order, whose rule holds;
 * a persona without a rule takes everyone left. Every given condition must hold.
 */
typedef struct kr_model_persona {
    kr_str id;
    kr_model_text name;
    kr_model_text description;
    bool has_match;
    const kr_str *first_channels; /* the channel of the person's first event */
    size_t first_channel_count;
    const kr_str *first_devices; /* the device of the person's first event */
    size_t first_device_count;
    int account;            /* 1 persons in an account, 0 persons without, -1 either */
    const kr_str *accounts; /* account ids */
    size_t account_count;
    const kr_str *did_events; /* an event the person did, by name */
    size_t did_event_count;
    uint32_t did_touchpoint; /* a touchpoint the person had, or KR_MODEL_NONE */
    const kr_model_prop_rule *props;
    size_t prop_count;
    uint32_t line;
} kr_model_persona;

/** The conversion (becoming a customer) or the repeat purchase. */
typedef struct kr_model_goal {
    bool defined;
    uint32_t touchpoint; /* KR_MODEL_NONE when given by event names */
    const kr_str *events;
    size_t event_count;
    uint32_t min_count; /* events needed: 1 for the conversion, default 2 for repeat */
} kr_model_goal;

/** The left-hand side of a journey map (seed 002): why it was made and what it covers. */
typedef struct kr_model_scope {
    kr_str goal;
    kr_str scope;
    const kr_str *stakeholders;
    size_t stakeholder_count;
    kr_str version; /* "1.0" assumed, "2.0" validated with customers */
    kr_str owner;
    kr_str date;
} kr_model_scope;

/** A model as read from a file; every pointer is borrowed from the model. */
typedef struct kr_model_info {
    kr_str lang; /* "nl" or "en": the language names are shown in */
    kr_model_scope scope;
    const kr_model_persona *personas;
    size_t persona_count;
    const kr_model_phase *phases;
    size_t phase_count;
    const kr_model_touchpoint *touchpoints;
    size_t touchpoint_count;
    const kr_model_text *brand_values;
    size_t brand_value_count;
    kr_model_goal conversion;
    kr_model_goal repeat;
} kr_model_info;

/**
 * Reads and validates a model from the YAML file at path. name (NULL = path) is the file
 * name used in messages. Returns KR_OK, KR_EIO (unreadable), KR_ETOOBIG (over
 * KR_MODEL_MAX_BYTES), KR_EPARSE (not YAML, or not a valid model) or KR_ENOMEM. On failure
 * *out still holds a model whose errmsg says why and where ("file:line:column: ..."); free
 * it. *out is NULL only on KR_ENOMEM.
 */
KR_EXTERN int kr_model_load_file(kr_model **out, const char *path);

/** Like kr_model_load_file for text in memory (text need not be NUL-terminated). */
KR_EXTERN int kr_model_load_string(kr_model **out, const char *text, size_t len, const char *name);

/** Frees a model; NULL is fine. */
KR_EXTERN void kr_model_free(kr_model *m);

/** The error of a failed load ("file:line:column: what was expected"); "" when none. */
KR_EXTERN const char *kr_model_errmsg(const kr_model *m);

/** Borrowed views of the whole model, valid while m lives. */
KR_EXTERN const kr_model_info *kr_model_get(const kr_model *m);

/**
 * Lints of a valid model, as "file:line:column: warning: ..." lines: a phase with one
 * touchpoint named after a channel or an action (a touchpoint used as a chapter), unmeasured
 * touchpoints, phases no event can reach.
 */
KR_EXTERN size_t kr_model_warning_count(const kr_model *m);
KR_EXTERN const char *kr_model_warning(const kr_model *m, size_t i);

/**
 * The distinct property keys that the model's rules name, once each (the touchpoints' in file
 * order, then the personas' new ones): the keys to keep when loading the table
 * (kr_table_load_file_props). Borrowed, valid while m lives; *count may be 0.
 */
KR_EXTERN const kr_str *kr_model_property_keys(const kr_model *m, size_t *count);

/** A name in the model's language (falls back to the other language, then to fallback). */
KR_EXTERN kr_str kr_model_text_get(const kr_model *m, kr_model_text t, kr_str fallback);

/** The names of the built-in templates, NULL-terminated: five-phases, touch-tell-sell-care, b2b. */
KR_EXTERN const char *const *kr_model_template_names(void);

/**
 * The YAML text of a built-in template in lang ("nl" or "en"; NULL = "nl"): comments,
 * descriptions and the model's language follow lang, names are given in both. Returns KR_OK
 * with a malloc'd, NUL-terminated *out (free it), KR_ENOTFOUND for an unknown name or
 * language, or KR_ENOMEM.
 */
KR_EXTERN int kr_model_template(char **out, const char *name, const char *lang);

/**
 * Compiles model m against table t: the touchpoint of every event (the first touchpoint in file
 * order whose rule matches; KR_MODEL_NONE when none does) and the persona of every person. Rules
 * are evaluated once per distinct (name, channel, device, type) combination, so an analysis
 * reads one array entry per event. Property conditions read the table's property columns (load
 * the table keeping the keys that kr_model_property_keys lists): values compare exactly, an
 * absent property meets no condition, and a key the table did not keep matches nothing. A
 * persona's property conditions hold when one of the person's events meets them all. m and t
 * must outlive the result. Returns KR_OK or KR_ENOMEM.
 */
KR_EXTERN int kr_model_match_new(kr_model_match **out, const kr_model *m, const kr_table *t);

/** Frees the compiled match; NULL is fine. */
KR_EXTERN void kr_model_match_free(kr_model_match *mm);

/** Touchpoint index per event (count = the table's events); borrowed. */
KR_EXTERN const uint16_t *kr_model_match_events(const kr_model_match *mm);

/** Persona index per person (KR_MODEL_NO_PERSONA when none applies); borrowed. */
KR_EXTERN const uint32_t *kr_model_match_personas(const kr_model_match *mm);

/** Events that matched touchpoint tp. */
KR_EXTERN uint64_t kr_model_match_touchpoint_events(const kr_model_match *mm, uint32_t tp);

/** Persons assigned to persona i. */
KR_EXTERN uint64_t kr_model_match_persona_persons(const kr_model_match *mm, uint32_t i);

/**
 * Per event-name code of the table: bit 0 set when the name counts for the model's conversion,
 * bit 1 for its repeat (goals given by event names; a goal given by a touchpoint is met by the
 * events of that touchpoint instead). For loops over every event; borrowed.
 */
KR_EXTERN const uint8_t *kr_model_match_name_goals(const kr_model_match *mm);

/** True when the event name code counts for goal g (the conversion or the repeat). */
KR_EXTERN bool kr_model_match_goal_event(const kr_model_match *mm, const kr_model_goal *g,
                                         size_t event_index);

#endif
