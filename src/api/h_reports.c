/* Reports (issue 11, docs/REPORTS.md): GET /api/v1/reports/summary. Supervisors and admins see
 * the whole centre, a department manager their department's subtree and those of their grants
 * (core/policy.h policy_report_reach; no call or contact figures), other roles nothing. */
#include <string.h>

#include "api/api_int.h"
#include "core/policy.h"
#include "report/summary.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

bool api_report_reach(struct api_req *r, struct dept_reach *out)
{
    int rc = policy_report_reach(r->st, &r->user, out);
    if (rc == ERR_FORBIDDEN)
        api_fail(r, ERR_FORBIDDEN, "forbidden", NULL,
                 "reports are for supervisors, admins and department managers");
    else if (rc != ERR_OK)
        api_fail(r, rc, NULL, NULL, "could not read the caller's departments");
    return rc == ERR_OK;
}

void h_report_summary(struct api_req *r)
{
    struct report_summary_params p;
    struct report_summary *s = NULL;
    struct err_detail ed = { 0 };
    memset(&p, 0, sizeof(p));
    if (!api_report_reach(r, &p.scope))
        return;
    const char *from = http_query(r->http, "from"), *to = http_query(r->http, "to");
    const char *lang = http_query(r->http, "lang");
    if (!from || !*from || !to || !*to) {
        api_fail(r, ERR_INVALID, "invalid_field", !from || !*from ? "from" : "to",
                 "from and to are required (YYYY-MM-DD)");
        return;
    }
    if (lang && strcmp(lang, "tr") != 0 && strcmp(lang, "en") != 0) {
        api_fail(r, ERR_INVALID, "invalid_field", "lang", "lang is tr or en");
        return;
    }
    if (strlen(from) >= sizeof(p.from) || strlen(to) >= sizeof(p.to)) {
        api_fail(r, ERR_INVALID, "invalid_field", strlen(from) >= sizeof(p.from) ? "from" : "to",
                 "dates are YYYY-MM-DD");
        return;
    }
    str_copy(p.from, sizeof(p.from), from);
    str_copy(p.to, sizeof(p.to), to);
    p.at = time_now();
    p.kpi.sl_s = 20;
    p.kpi.short_s = 5;
    int rc = report_summary(r->st, &p, &s, &ed);
    if (rc != ERR_OK) {
        if (rc == ERR_INVALID && !ed.name[0])
            str_copy(ed.name, sizeof(ed.name), "invalid_field");
        api_error_ed(r, &ed);
        return;
    }
    api_reply(r, 200,
              api_report_summary_json(s, p.scope.limited ? r->user.department_code : NULL,
                                      lang ? lang : "tr"));
    report_summary_free(s);
}
