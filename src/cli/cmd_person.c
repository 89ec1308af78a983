/*
 * cmd_person.c - klantreis person ID [SOURCE]: one person's timeline.
 */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"

static const char help[] =
    "usage: klantreis person [OPTIONS] ID [SOURCE]\n\n"
    "One person's timeline: the person that ID (any anonymous id, user id or earlier id)\n"
    "belongs to after identity stitching, all their ids, their account, and every event in\n"
    "time order. SOURCE is a CSV/JSONL file or a store; without SOURCE, the store (--db).\n\n"
    "With --model or --template, every event also shows its phase and touchpoint in that\n"
    "journey model ('-' when it matches no touchpoint).\n\n"
    "options:\n"
    "  --format F            table, csv or json (default: table on a terminal, else json)\n"
    "  --model FILE          show the phase of every event in this journey model\n"
    "  --template NAME       ... or in a built-in one: five-phases, touch-tell-sell-care, b2b\n"
    "  --lang L              nl or en: the language of a --template\n"
    "  --export json         for an access request (GDPR art. 15): every stored event of the\n"
    "                        person with all its fields, ids and properties, from the store\n"
    "                        (--db, or SOURCE when it is a store file)\n"
    "  --pseudonymise FILE   ID is a raw id: look up its pseudonym under this secret (for a\n"
    "                        store imported with import --pseudonymise FILE)\n" CLI_READ_HELP
    "  -h, --help            this help\n\n"
    "exit codes: 0 found, 1 usage, 2 input error, 3 no person with that id.\n";

enum {
    OPT_FORMAT = CLI_OPT_FIRST_FREE,
    OPT_MODEL,
    OPT_TEMPLATE,
    OPT_LANG,
    OPT_EXPORT,
    OPT_PSEUDONYMISE
};

/* The journey model's view of the events, when --model or --template is given. */
typedef struct phase_view {
    const kr_model *m;
    const uint16_t *tp; /* touchpoint per event */
} phase_view;

static kr_str phase_of(const phase_view *v, size_t i)
{
    if (!v->m || v->tp[i] == KR_MODEL_NONE)
        return kr_str_from_cstr("-");
    const kr_model_info *info = kr_model_get(v->m);
    return info->phases[info->touchpoints[v->tp[i]].phase].id;
}

static kr_str touchpoint_of(const phase_view *v, size_t i)
{
    if (!v->m || v->tp[i] == KR_MODEL_NONE)
        return kr_str_from_cstr("-");
    return kr_model_get(v->m)->touchpoints[v->tp[i]].id;
}

static json_t *str_json(kr_str s)
{
    json_t *v = json_stringn(s.ptr ? s.ptr : "", s.len);
    return v ? v : json_string("(invalid utf-8)");
}

static void print_json(const kr_table *t, uint32_t p, const phase_view *pv)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    json_t *o = json_object();
    json_object_set_new(o, "person", str_json(kr_table_dict_get(t, KR_DICT_ID, c.person_id[p])));
    json_object_set_new(o, "identified", json_boolean(c.person_known[p]));
    json_t *ids = json_array();
    const uint32_t *codes;
    size_t n = kr_table_person_ids(t, p, &codes);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ids, str_json(kr_table_dict_get(t, KR_DICT_ID, codes[i])));
    json_object_set_new(o, "ids", ids);
    json_object_set_new(o, "account",
                        c.person_account[p]
                            ? str_json(kr_table_dict_get(t, KR_DICT_ACCOUNT, c.person_account[p]))
                            : json_null());
    json_t *events = json_array();
    for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) {
        char when[40];
        kr_time_format(when, sizeof when, c.time_ms[i]);
        json_t *e = json_object();
        json_object_set_new(e, "timestamp", json_string(when));
        json_object_set_new(e, "type", json_string(kr_event_type_name(KR_FLAG_TYPE(c.flags[i]))));
        json_object_set_new(e, "event", str_json(kr_table_dict_get(t, KR_DICT_NAME, c.name[i])));
        if (pv->m) {
            bool hit = pv->tp[i] != KR_MODEL_NONE;
            json_object_set_new(e, "phase", hit ? str_json(phase_of(pv, i)) : json_null());
            json_object_set_new(e, "touchpoint",
                                hit ? str_json(touchpoint_of(pv, i)) : json_null());
        }
        if (c.channel[i])
            json_object_set_new(e, "channel",
                                str_json(kr_table_dict_get(t, KR_DICT_CHANNEL, c.channel[i])));
        if (c.device[i])
            json_object_set_new(e, "device",
                                str_json(kr_table_dict_get(t, KR_DICT_DEVICE, c.device[i])));
        if (c.flags[i] & KR_FLAG_HAS_VALUE)
            json_object_set_new(e, "value_cents",
                                json_integer((json_int_t)c.value_cents[c.aux[i] - 1]));
        if (c.flags[i] & KR_FLAG_HAS_SCORE) {
            json_object_set_new(e, "score", json_real(c.score[c.aux[i] - 1]));
            json_object_set_new(e, "score_scale",
                                json_string(kr_score_scale_name(KR_FLAG_SCALE(c.flags[i]))));
        }
        json_array_append_new(events, e);
    }
    json_object_set_new(o, "events", events);
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (text)
        printf("%s\n", text);
    free(text);
}

/* --export json: one stored event, every field, properties as the object they are stored as. */
static int export_event(const kr_event *ev, kr_str properties, void *payload)
{
    json_t *events = payload, *e = json_object();
    if (!e)
        return KR_ENOMEM;
    char when[40];
    kr_time_format(when, sizeof when, ev->time_ms);
    json_object_set_new(e, "timestamp", json_string(when));
    json_object_set_new(e, "type", json_string(kr_event_type_name(ev->type)));
    json_object_set_new(e, "event", str_json(ev->event));
    const struct {
        const char *name;
        kr_str value;
    } fields[] = {
        {"anonymous_id", ev->anonymous_id}, {"user_id", ev->user_id},
        {"previous_id", ev->previous_id},   {"account_id", ev->account_id},
        {"channel", ev->channel},           {"device", ev->device},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        json_object_set_new(e, fields[i].name,
                            fields[i].value.len ? str_json(fields[i].value) : json_null());
    json_object_set_new(e, "value_cents",
                        ev->has_value ? json_integer((json_int_t)ev->value_cents) : json_null());
    json_object_set_new(e, "score", ev->has_score ? json_real(ev->score) : json_null());
    json_object_set_new(e, "score_scale",
                        ev->has_score ? json_string(kr_score_scale_name(ev->score_scale))
                                      : json_null());
    json_object_set_new(e, "event_key", str_json(ev->event_id));
    json_t *props = properties.len ? json_loadb(properties.ptr, properties.len, 0, NULL) : NULL;
    json_object_set_new(e, "properties", props ? props : json_object());
    return json_array_append_new(events, e) == 0 ? KR_OK : KR_ENOMEM;
}

/* klantreis person ID --export json: reads the store, not a table, so that nothing stored
   about the person (properties, keys, raw ids per event) is left out. */
static int export_person(const char *id, const char *source, const cli_read *rd)
{
    kr_store *store = NULL;
    kr_table *t = NULL;
    kr_str *ids = NULL;
    json_t *o = NULL;
    int exit_code = KR_EXIT_INPUT;
    kr_store_options so = {.read_only = true};
    if (kr_store_open(&store, source ? source : rd->db, &so) < 0 ||
        kr_store_load_table(store, &t) < 0) {
        fprintf(stderr, "klantreis person: --export reads a store: %s\n", kr_store_errmsg(store));
        goto done;
    }
    uint32_t p;
    if (kr_table_find_person(t, kr_str_from_cstr(id), &p) < 0) {
        fprintf(stderr, "klantreis person: no person with id '%s'\n", id);
        exit_code = KR_EXIT_MODEL;
        goto done;
    }
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    const uint32_t *codes;
    size_t n = kr_table_person_ids(t, p, &codes);
    o = json_object();
    json_t *idarr = json_array(), *events = json_array();
    ids = calloc(n ? n : 1, sizeof *ids);
    if (!o || !idarr || !events || !ids) {
        json_decref(idarr);
        json_decref(events);
        fprintf(stderr, "klantreis person: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = kr_table_dict_get(t, KR_DICT_ID, codes[i]);
        json_array_append_new(idarr, str_json(ids[i]));
    }
    json_object_set_new(o, "person", str_json(kr_table_dict_get(t, KR_DICT_ID, c.person_id[p])));
    json_object_set_new(o, "identified", json_boolean(c.person_known[p]));
    json_object_set_new(o, "ids", idarr);
    json_object_set_new(o, "account",
                        c.person_account[p]
                            ? str_json(kr_table_dict_get(t, KR_DICT_ACCOUNT, c.person_account[p]))
                            : json_null());
    json_object_set_new(o, "events", events);
    int rc = kr_store_scan_ids(store, ids, n, export_event, events);
    if (rc < 0) {
        fprintf(stderr, "klantreis person: %s\n",
                rc == KR_ENOMEM ? "out of memory" : kr_store_errmsg(store));
        goto done;
    }
    json_object_set_new(o, "event_count", json_integer((json_int_t)json_array_size(events)));
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        fprintf(stderr, "klantreis person: out of memory\n");
        goto done;
    }
    printf("%s\n", text);
    free(text);
    exit_code = KR_EXIT_OK;
done:
    json_decref(o);
    free(ids);
    kr_table_free(t);
    kr_store_free(store);
    return exit_code;
}

static void print_rows(const kr_table *t, uint32_t p, cli_format format, const phase_view *pv)
{
    kr_table_columns c;
    kr_table_get_columns(t, &c);
    kr_str name = kr_table_dict_get(t, KR_DICT_ID, c.person_id[p]);
    const uint32_t *codes;
    size_t n = kr_table_person_ids(t, p, &codes);
    if (format == CLI_FORMAT_TABLE) {
        printf("person   %.*s%s\nids     ", (int)name.len, name.ptr,
               c.person_known[p] ? "" : " (anonymous)");
        for (size_t i = 0; i < n; i++) {
            kr_str id = kr_table_dict_get(t, KR_DICT_ID, codes[i]);
            printf(" %.*s", (int)id.len, id.ptr);
        }
        kr_str acct = kr_table_dict_get(t, KR_DICT_ACCOUNT, c.person_account[p]);
        printf("\naccount  %.*s\nevents   %zu\n\n", acct.len ? (int)acct.len : 1,
               acct.len ? acct.ptr : "-", c.person_start[p + 1] - c.person_start[p]);
        if (pv->m)
            printf("%-24s %-8s %-22s %-14s %-16s %-10s %-8s %10s %s\n", "time", "type", "event",
                   "phase", "touchpoint", "channel", "device", "value", "score");
        else
            printf("%-24s %-8s %-22s %-10s %-8s %10s %s\n", "time", "type", "event", "channel",
                   "device", "value", "score");
    } else {
        printf("timestamp,type,event,channel,device,value,score,score_scale%s\n",
               pv->m ? ",phase,touchpoint" : "");
    }
    for (size_t i = c.person_start[p]; i < c.person_start[p + 1]; i++) {
        char when[40], money[40] = "", score[32] = "";
        kr_time_format(when, sizeof when, c.time_ms[i]);
        kr_str ev = kr_table_dict_get(t, KR_DICT_NAME, c.name[i]);
        kr_str ch = kr_table_dict_get(t, KR_DICT_CHANNEL, c.channel[i]);
        kr_str dv = kr_table_dict_get(t, KR_DICT_DEVICE, c.device[i]);
        if (c.flags[i] & KR_FLAG_HAS_VALUE)
            cli_money(money, sizeof money, c.value_cents[c.aux[i] - 1]);
        if (c.flags[i] & KR_FLAG_HAS_SCORE)
            snprintf(score, sizeof score, "%g", (double)c.score[c.aux[i] - 1]);
        const char *type = kr_event_type_name(KR_FLAG_TYPE(c.flags[i]));
        const char *scale =
            c.flags[i] & KR_FLAG_HAS_SCORE ? kr_score_scale_name(KR_FLAG_SCALE(c.flags[i])) : "";
        if (format == CLI_FORMAT_TABLE && pv->m) {
            kr_str ph = phase_of(pv, i), tp = touchpoint_of(pv, i);
            printf("%-24s %-8s %-22.*s %-14.*s %-16.*s %-10.*s %-8.*s %10s %s%s%s\n", when, type,
                   (int)ev.len, ev.ptr, (int)ph.len, ph.ptr, (int)tp.len, tp.ptr, (int)ch.len,
                   ch.ptr, (int)dv.len, dv.ptr, money, score, *scale ? " " : "", scale);
        } else if (format == CLI_FORMAT_TABLE) {
            printf("%-24s %-8s %-22.*s %-10.*s %-8.*s %10s %s%s%s\n", when, type, (int)ev.len,
                   ev.ptr, (int)ch.len, ch.ptr, (int)dv.len, dv.ptr, money, score,
                   *scale ? " " : "", scale);
        } else {
            printf("%s,%s,", when, type);
            cli_csv_field(stdout, ev);
            putchar(',');
            cli_csv_field(stdout, ch);
            putchar(',');
            cli_csv_field(stdout, dv);
            printf(",%s,%s,%s", money, score, scale);
            if (pv->m) {
                putchar(',');
                cli_csv_field(stdout, phase_of(pv, i));
                putchar(',');
                cli_csv_field(stdout, touchpoint_of(pv, i));
            }
            putchar('\n');
        }
    }
}

int cmd_person(int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_READ_LONG_OPTIONS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"model", required_argument, NULL, OPT_MODEL},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"lang", required_argument, NULL, OPT_LANG},
        {"export", required_argument, NULL, OPT_EXPORT},
        {"pseudonymise", required_argument, NULL, OPT_PSEUDONYMISE},
        {"pseudonymize", required_argument, NULL, OPT_PSEUDONYMISE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_read rd;
    cli_read_init(&rd);
    cli_format format = cli_format_default();
    int exit_code = KR_EXIT_OK, opt;
    kr_table *t = NULL;
    const char *model_path = NULL, *template_name = NULL, *lang = NULL;
    kr_model *m = NULL;
    kr_model_match *mm = NULL;
    phase_view pv = {NULL, NULL};
    bool export_json = false;
    const char *secret_path = NULL;
    char pseudonym[KR_PSEUDONYM_SIZE];
    optind = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(help, stdout);
            goto done;
        case OPT_FORMAT:
            if (cli_format_parse(optarg, &format) < 0) {
                exit_code = cli_usage_error("person", "--format takes table, csv or json");
                goto done;
            }
            break;
        case OPT_MODEL:
            model_path = optarg;
            break;
        case OPT_TEMPLATE:
            template_name = optarg;
            break;
        case OPT_LANG:
            lang = optarg;
            break;
        case OPT_EXPORT:
            if (strcmp(optarg, "json") != 0) {
                exit_code = cli_usage_error("person", "--export takes json");
                goto done;
            }
            export_json = true;
            break;
        case OPT_PSEUDONYMISE:
            secret_path = optarg;
            break;
        case '?':
            exit_code = cli_usage_error("person", "unknown or incomplete option");
            goto done;
        default:
            if ((exit_code = cli_read_option(&rd, opt, optarg)) != 0)
                goto done;
        }
    }
    if (argc - optind < 1 || argc - optind > 2) {
        exit_code = cli_usage_error("person", "name an ID and at most one SOURCE");
        goto done;
    }
    const char *id = argv[optind];
    if (secret_path) {
        if ((exit_code = cli_pseudonym(pseudonym, "person", secret_path, id)) != 0)
            goto done;
        id = pseudonym;
    }
    if (export_json) {
        if (model_path || template_name)
            exit_code = cli_usage_error("person", "--export takes no --model or --template");
        else
            exit_code = export_person(id, optind + 1 < argc ? argv[optind + 1] : NULL, &rd);
        goto done;
    }
    /* The model first: the table keeps the property keys its rules name. */
    if (model_path || template_name) {
        char used[256];
        if ((exit_code = cli_load_model(&m, "person", model_path, template_name, lang, used,
                                        sizeof used)) != 0)
            goto done;
    }
    const char *source = optind + 1 < argc ? argv[optind + 1] : NULL;
    if ((exit_code = m ? cli_load_model_table(&t, m, NULL, source, &rd)
                       : cli_load_table(&t, source, &rd)) != 0)
        goto done;
    uint32_t p;
    if (kr_table_find_person(t, kr_str_from_cstr(id), &p) < 0) {
        fprintf(stderr, "klantreis person: no person with id '%s'\n", id);
        exit_code = KR_EXIT_MODEL;
        goto done;
    }
    if (m) {
        if (kr_model_match_new(&mm, m, t) < 0) {
            fprintf(stderr, "klantreis person: out of memory\n");
            exit_code = KR_EXIT_INPUT;
            goto done;
        }
        pv.m = m;
        pv.tp = kr_model_match_events(mm);
    }
    if (format == CLI_FORMAT_JSON)
        print_json(t, p, &pv);
    else
        print_rows(t, p, format, &pv);
done:
    kr_model_match_free(mm);
    kr_model_free(m);
    kr_table_free(t);
    cli_read_finish(&rd);
    return exit_code;
}
