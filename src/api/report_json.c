/* The report's JSON (docs/REPORTS.md): api_report_summary_json, shared by the API's
 * GET /api/v1/reports/summary and the CLI's `alo153 report --format json`. */
#include <math.h>
#include <string.h>

#include "api/api.h"
#include "report/summary.h"
#include "util/banned.h"

static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *calls_json(const struct kpi_calls *k)
{
    int64_t base = k->answered + k->abandoned - k->short_abandoned;
    json_t *o = json_pack("{s:I, s:I, s:I, s:I}", "offered", (json_int_t)k->offered, "answered",
                          (json_int_t)k->answered, "abandoned", (json_int_t)k->abandoned,
                          "short_abandoned", (json_int_t)k->short_abandoned);
    json_object_set_new(o, "answer_rate", base > 0 ? json_real(k->answer_rate) : json_null());
    json_object_set_new(o, "service_level", base > 0 ? json_real(k->service_level) : json_null());
    json_object_set_new(o, "asa_s", k->answered ? json_real(k->asa_s) : json_null());
    json_object_set_new(o, "aht_s", k->handled ? json_real(k->aht_s) : json_null());
    json_object_set_new(o, "max_wait_s", json_integer(k->max_wait_s));
    return o;
}

static json_t *contacts_json(const struct kpi_contacts *k)
{
    json_t *outcomes = json_object(), *channels = json_object();
    for (int o = 1; o < OUTCOME__COUNT; o++)
        json_object_set_new(outcomes, contact_outcome_name((enum contact_outcome)o),
                            json_integer(k->by_outcome[o]));
    json_object_set_new(outcomes, "open", json_integer(k->by_outcome[OUTCOME_NONE]));
    for (int i = 0; i < k->nchannels; i++)
        json_object_set_new(channels, k->by_channel[i].channel, json_integer(k->by_channel[i].n));
    json_t *o = json_pack("{s:I, s:o, s:o}", "total", (json_int_t)k->total, "by_outcome", outcomes,
                          "by_channel", channels);
    json_object_set_new(o, "instant_info_share",
                        k->total - k->open > 0 ? json_real(k->instant_info_share) : json_null());
    return o;
}

static const char *type_name(enum rs_type t)
{
    switch (t) {
    case RS_INT: return "int";
    case RS_PCT: return "pct";
    case RS_NUM: return "num";
    case RS_DAYS: return "days";
    case RS_TEXT: return "text";
    }
    return "num";
}

static json_t *value_json(enum rs_type t, double v)
{
    if (isnan(v))
        return json_null();
    return t == RS_INT ? json_integer((json_int_t)llround(v)) : json_real(v);
}

static json_t *table_json(const struct rs_table *t, bool en)
{
    json_t *cols = json_array(), *rows = json_array();
    for (size_t c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "key", t->cols[c].key, "title",
                                              en ? t->cols[c].en : t->cols[c].tr, "type",
                                              type_name(t->cols[c].type)));
    for (size_t i = 0; i < t->nrows; i++) {
        const struct rs_row *r = &t->rows[i];
        char label[512];
        json_t *vals = json_array();
        for (size_t c = 0; c < t->ncols; c++)
            json_array_append_new(vals, value_json(t->cols[c].type, r->v[c]));
        rs_row_label(t, r, en ? "en" : "tr", label, sizeof(label));
        json_array_append_new(rows,
                              json_pack("{s:s, s:o, s:o}", "key", r->key ? r->key : "", "label",
                                        *label ? json_string(label) : json_null(), "values", vals));
    }
    return json_pack("{s:s, s:s, s:{s:s, s:s}, s:o, s:o}", "name", t->name, "title",
                     en ? t->title_en : t->title_tr, "key", "key", t->keycol.key, "title",
                     en ? t->keycol.en : t->keycol.tr, "columns", cols, "rows", rows);
}

json_t *api_report_summary_json(const struct report_summary *s, const char *department_code,
                                const char *lang)
{
    bool en = lang && strcmp(lang, "en") == 0;
    const struct rs_apps *a = &s->apps;
    json_t *o = json_object();
    json_object_set_new(o, "period", json_pack("{s:s, s:s}", "from", s->p.from, "to", s->p.to));
    json_object_set_new(o, "scope",
                        json_pack("{s:o}", "department",
                                  department_code && *department_code ? json_string(department_code)
                                                                      : json_null()));
    json_object_set_new(o, "calls", s->has_calls ? calls_json(&s->calls) : json_null());
    json_object_set_new(o, "contacts", s->has_calls ? contacts_json(&s->contacts) : json_null());
    json_t *apps =
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)a->total,
                  "resolved", (json_int_t)a->resolved, "resolved_in_deadline",
                  (json_int_t)a->resolved_in_deadline, "open_now", (json_int_t)a->open_now,
                  "overdue_now", (json_int_t)a->overdue_now, "returned", (json_int_t)a->returned,
                  "transferred", (json_int_t)a->transferred, "reopened", (json_int_t)a->reopened);
    json_object_set_new(apps, "in_deadline_share",
                        a->resolved
                            ? json_real((double)a->resolved_in_deadline / (double)a->resolved)
                            : json_null());
    json_object_set_new(apps, "resolution_wd",
                        json_pack("{s:o, s:o}", "median", num_or_null(a->resolution_median_wd),
                                  "p90", num_or_null(a->resolution_p90_wd)));
    json_object_set_new(o, "applications", apps);
    json_object_set_new(o, "satisfaction",
                        s->survey.answers > 0
                            ? json_pack("{s:I, s:o}", "answers", (json_int_t)s->survey.answers,
                                        "satisfied_share", num_or_null(s->survey.satisfied_share))
                            : json_null());
    if (s->has_previous) {
        json_t *p = json_pack("{s:{s:s, s:s}, s:I}", "period", "from", s->previous.from, "to",
                              s->previous.to, "applications", (json_int_t)s->previous.applications);
        json_object_set_new(p, "calls",
                            s->has_calls ? calls_json(&s->previous.calls) : json_null());
        json_object_set_new(p, "instant_info",
                            s->has_calls ? json_integer(s->previous.instant_info) : json_null());
        json_object_set_new(p, "forwarded",
                            s->has_calls ? json_integer(s->previous.forwarded) : json_null());
        json_object_set_new(o, "previous", p);
    } else {
        json_object_set_new(o, "previous", json_null());
    }
    json_t *tables = json_array();
    for (size_t i = 0; i < s->ntables; i++)
        json_array_append_new(tables, table_json(&s->tables[i], en));
    json_object_set_new(o, "tables", tables);
    return o;
}
