#include "core/citizen.h"

#include <string.h>

#include "core/validate.h"
#include "nlp/turkish.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static bool given(const char *s)
{
    return s && *s;
}

int core_citizen_read(const struct citizen_input *in, enum citizen_need need, struct citizen *out,
                      struct err_detail *ed)
{
    const char *const texts[] = { in->name, in->address };
    const char *const text_names[] = { "name", "address" };
    memset(out, 0, sizeof(*out));
    if (given(in->phone) && !validate_phone(in->phone, out->phone))
        return err_set(ed, ERR_INVALID, "phone", "not a valid Turkish phone number");
    if (given(in->email) && !validate_email(in->email))
        return err_set(ed, ERR_INVALID, "email", "not a valid e-mail address");
    if (given(in->tc)) {
        if (!validate_tc(in->tc))
            return err_set(ed, ERR_INVALID, "tc", "not a valid T.C. identity number");
        memcpy(out->tc, in->tc, 12);
    }
    if (given(in->lang)) {
        if (strcmp(in->lang, "tr") != 0 && strcmp(in->lang, "en") != 0)
            return err_set(ed, ERR_INVALID, "lang", "lang must be tr or en");
        str_copy(out->lang, sizeof(out->lang), in->lang);
    }
    for (int i = 0; i < 2; i++)
        if (texts[i] && !nlp_utf8_valid(texts[i], strlen(texts[i])))
            return err_set(ed, ERR_INVALID, text_names[i], "not valid UTF-8");
    out->name = given(in->name) ? xstrdup(in->name) : NULL;
    out->email = given(in->email) ? xstrdup(in->email) : NULL;
    out->address = given(in->address) ? xstrdup(in->address) : NULL;
    if (need == CITIZEN_NEED_ANY && !out->phone[0] && !out->email && !out->name)
        return err_set_named(ed, ERR_INVALID, "missing_field", "phone",
                             "give at least a phone, an e-mail or a name");
    if (need == CITIZEN_NEED_CONTACT && !out->phone[0] && !out->email)
        return err_set_named(ed, ERR_INVALID, "missing_field", "phone",
                             "give a phone number or an e-mail address so we can answer you");
    return ERR_OK;
}

int core_citizen_create(struct store *st, const struct citizen_input *in, struct citizen *out,
                        struct err_detail *ed)
{
    int rc = core_citizen_read(in, CITIZEN_NEED_ANY, out, ed);
    if (rc != ERR_OK)
        return rc;
    out->created_at = time_now();
    if ((rc = store_citizen_create(st, out)) != ERR_OK)
        return err_set(ed, rc, NULL, "could not store the citizen");
    return ERR_OK;
}

int core_citizen_view(struct store *st, const struct user *viewer, int64_t citizen_id,
                      const char *purpose, struct err_detail *ed)
{
    int64_t uid = viewer ? viewer->id : 0;
    if (store_citizen_view_log(st, citizen_id, uid, time_now(), purpose) == ERR_OK)
        return ERR_OK;
    log_warn(
        "msg=\"citizen view not logged; record withheld\" citizen=%lld user=%lld purpose=\"%s\"",
        (long long)citizen_id, (long long)uid, purpose);
    return err_set_named(ed, ERR_UNAVAILABLE, "view_log_unavailable", NULL,
                         "Vatandaş kaydının görüntülenmesi kayda alınamadı (KVKK); kayıt "
                         "gösterilmiyor, lütfen birkaç saniye sonra tekrar deneyin. / The view "
                         "of this citizen's record could not be logged, so it is not shown; try "
                         "again in a few seconds.");
}
