/* The application rollups' rules: see rollup.h. */
#include <string.h>

#include "core/app.h"
#include "core/rollup.h"
#include "util/timeutil.h"
#include "util/banned.h"

void core_rollup_of(const struct app *a, unsigned actions, struct app_rollup *out)
{
    memset(out, 0, sizeof(*out));
    out->grain = ROLLUP_DAY;
    out->bucket = time_istanbul_day(a->created_at);
    out->department_id = a->department_id;
    out->category_id = a->category_id;
    out->district_id = a->district_id;
    out->neighbourhood_id = a->neighbourhood_id;
    memcpy(out->channel, a->channel, sizeof(out->channel));
    memcpy(out->kind, a->kind, sizeof(out->kind));
    out->channel[sizeof(out->channel) - 1] = 0;
    out->kind[sizeof(out->kind) - 1] = 0;
    out->n = 1;
    out->open = a->status == ST_NEW || a->status == ST_FORWARDED || a->status == ST_IN_PROGRESS;
    out->resolved = a->status == ST_RESOLVED || a->status == ST_CLOSED;
    out->res_bin = -1;
    if (out->resolved) {
        int64_t at = a->responded_at ? a->responded_at : a->closed_at;
        if (!at)
            at = a->created_at;
        out->in_deadline = !a->resolution_due || at <= a->resolution_due;
        int wd = core_working_days_between(a->created_at, at);
        out->res_bin = wd < 0 ? 0 : wd >= ROLLUP_RES_BINS ? ROLLUP_RES_BINS - 1 : wd;
    }
    out->returned = (actions >> ACT_RETURN) & 1;
    out->transferred = (actions >> ACT_TRANSFER) & 1;
    out->reopened = (actions >> ACT_REOPEN) & 1;
}

int core_rollup_change(struct store *st, const struct app_rollup *old, const struct app_rollup *neu)
{
    int rc = ERR_OK;
    if (old && neu && memcmp(old, neu, sizeof(*old)) == 0)
        return ERR_OK;
    if (old && (rc = store_rollup_app_add(st, old, -1)) != ERR_OK)
        return rc;
    if (neu)
        rc = store_rollup_app_add(st, neu, 1);
    return rc;
}

struct rebuild {
    struct store *st;
    int64_t n;
};

static int rebuild_one(void *ctx, const struct app *a, unsigned actions)
{
    struct rebuild *r = ctx;
    struct app_rollup c;
    core_rollup_of(a, actions, &c);
    r->n++;
    return store_rollup_app_add(r->st, &c, 1);
}

int core_rollup_rebuild_apps(struct store *st, int64_t *napps, struct err_detail *ed)
{
    struct rebuild r = { .st = st, .n = 0 };
    int rc;
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = store_rollup_app_clear(st)) != ERR_OK ||
        (rc = store_app_report_each(st, rebuild_one, &r)) != ERR_OK ||
        (rc = store_commit(st)) != ERR_OK) {
        store_rollback(st);
        return err_set(ed, rc, NULL, "could not rebuild the application rollups");
    }
    if (napps)
        *napps = r.n;
    return ERR_OK;
}
