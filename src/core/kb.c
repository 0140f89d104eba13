#include "core/kb.h"

#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "nlp/turkish.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

/* True when s is NULL, empty or only whitespace. */
static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Replace *dst with a copy of src when given; ERR_INVALID naming field when too long or not
 * UTF-8, or (required) empty. */
static int take_text(char **dst, const char *src, size_t max, bool required, const char *field,
                     struct err_detail *ed)
{
    if (src) {
        if (strlen(src) > max || !nlp_utf8_valid(src, strlen(src)))
            return err_set_named(ed, ERR_INVALID, "too_long", field,
                                 "%s: en çok %zu bayt geçerli UTF-8 metin", field, max);
        free(*dst);
        *dst = xstrdup(src);
    }
    if (required && blank(*dst))
        return err_set_named(ed, ERR_INVALID, "missing_field", field, "%s gerekli", field);
    return ERR_OK;
}

/* A validity bound: "" clears it, a date is that Istanbul day's start (or, as an upper
 * bound, the next day's start), else RFC 3339. */
static int take_time(int64_t *dst, const char *src, bool upper, const char *field,
                     struct err_detail *ed)
{
    int64_t day;
    if (!src)
        return ERR_OK;
    if (!*src)
        *dst = 0;
    else if (time_parse_date(src, &day))
        *dst = (day + (upper ? 1 : 0)) * 86400 - TIME_ISTANBUL_OFFSET;
    else if (!time_parse(src, dst) || *dst <= 0)
        return err_set_named(ed, ERR_INVALID, "invalid_time", field,
                             "%s bir tarih (YYYY-AA-GG) ya da RFC 3339 zaman olmalı / must be a "
                             "date or an RFC 3339 time",
                             field);
    return ERR_OK;
}

/* A phone number as people write it: digits, spaces, + - ( ), at least three digits. */
static bool phone_number_ok(const char *s)
{
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +-()", *p))
            return false;
    }
    return digits >= 3;
}

static int take_phones(struct kb_article *a, const struct kb_input *in, struct err_detail *ed)
{
    if (!in->phones_given)
        return ERR_OK;
    if (in->nphones > KB_PHONES_MAX)
        return err_set_named(ed, ERR_INVALID, "too_many", "phones",
                             "En çok %d numara verilebilir / at most %d phones", KB_PHONES_MAX,
                             KB_PHONES_MAX);
    struct kb_phone *v = xmalloc((in->nphones ? in->nphones : 1) * sizeof(*v));
    for (size_t i = 0; i < in->nphones; i++) {
        const char *name = in->phones[i].name, *num = in->phones[i].number;
        memset(&v[i], 0, sizeof(v[i]));
        if (blank(name) || !nlp_utf8_valid(name, strlen(name)) || strpbrk(name, "\t\r\n") ||
            !str_copy(v[i].name, sizeof(v[i].name), name)) {
            free(v);
            return err_set_named(ed, ERR_INVALID, "invalid_phone", "phones",
                                 "Numara %zu: kurum adı gerekli, en çok %d bayt tek satır / "
                                 "phone %zu: a name of at most %d bytes is required",
                                 i + 1, KB_PHONE_NAME_LEN - 1, i + 1, KB_PHONE_NAME_LEN - 1);
        }
        if (!num || !phone_number_ok(num) || !str_copy(v[i].number, sizeof(v[i].number), num)) {
            free(v);
            return err_set_named(ed, ERR_INVALID, "invalid_phone", "phones",
                                 "Numara %zu: yalnız rakam, boşluk ve + - ( ), en az 3 rakam / "
                                 "phone %zu: digits, spaces and + - ( ) only, at least 3 digits",
                                 i + 1, i + 1);
        }
    }
    free(a->phones);
    a->phones = v;
    a->nphones = in->nphones;
    return ERR_OK;
}

static int take_districts(struct store *st, struct kb_article *a, const struct kb_input *in,
                          struct err_detail *ed)
{
    char name[MODEL_PLACE_LEN];
    if (!in->districts_given)
        return ERR_OK;
    if (in->ndistricts > KB_DISTRICTS_MAX)
        return err_set_named(ed, ERR_INVALID, "too_many", "districts",
                             "En çok %d ilçe verilebilir / at most %d districts", KB_DISTRICTS_MAX,
                             KB_DISTRICTS_MAX);
    int64_t *v = xmalloc((in->ndistricts ? in->ndistricts : 1) * sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < in->ndistricts; i++) {
        int64_t d = in->districts[i];
        if (d <= 0 || store_district_name(st, d, name, sizeof(name)) != ERR_OK) {
            free(v);
            return err_set_named(ed, ERR_UNPROCESSABLE, "unknown_district", "districts",
                                 "Böyle bir ilçe yok: %lld / no such district", (long long)d);
        }
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup = dup || v[j] == d;
        if (!dup)
            v[n++] = d;
    }
    free(a->districts);
    a->districts = v;
    a->ndistricts = n;
    return ERR_OK;
}

static int kb_read(struct store *st, const struct kb_input *in, struct kb_article *a,
                   struct err_detail *ed)
{
    int rc;
    if ((rc = take_text(&a->title, in->title, KB_TITLE_MAX, true, "title", ed)) != ERR_OK ||
        (rc = take_text(&a->body, in->body, KB_BODY_MAX, true, "body", ed)) != ERR_OK ||
        (rc = take_text(&a->keywords, in->keywords, KB_KEYWORDS_MAX, false, "keywords", ed)) !=
            ERR_OK ||
        (rc = take_time(&a->valid_from, in->valid_from, false, "valid_from", ed)) != ERR_OK ||
        (rc = take_time(&a->valid_until, in->valid_until, true, "valid_until", ed)) != ERR_OK ||
        (rc = take_phones(a, in, ed)) != ERR_OK)
        return rc;
    if (in->category) {
        struct category c;
        if (*in->category && store_category_by_code(st, in->category, &c) != ERR_OK)
            return err_set(ed, ERR_UNPROCESSABLE, "category", "Böyle bir konu yok: %.40s",
                           in->category);
        str_copy(a->category, sizeof(a->category), in->category);
    }
    if ((rc = take_districts(st, a, in, ed)) != ERR_OK)
        return rc;
    if (a->valid_from && a->valid_until && a->valid_until <= a->valid_from)
        return err_set_named(ed, ERR_UNPROCESSABLE, "bad_period", "valid_until",
                             "Geçerlilik bitişi başlangıcından sonra olmalı / valid_until must "
                             "be after valid_from");
    if (in->active >= 0)
        a->active = in->active != 0;
    return ERR_OK;
}

int core_kb_save(struct store *st, const struct user *u, int64_t id, const struct kb_input *in,
                 struct kb_article *out, struct err_detail *ed)
{
    struct kb_article a = { .active = true };
    memset(out, 0, sizeof(*out));
    if (!policy_allows(st, u, POL_KB_EDIT, 0))
        return err_set(ed, ERR_FORBIDDEN, NULL, "Bilgi bankasını yalnız editörler yazar");
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not begin");
    if (id && (rc = store_kb_get(st, id, &a)) != ERR_OK)
        err_set(ed, rc, NULL, "Böyle bir madde yok / no such article");
    if (rc == ERR_OK && (rc = kb_read(st, in, &a, ed)) == ERR_OK) {
        a.updated_at = time_now();
        if (!id)
            a.created_at = a.updated_at;
        if ((rc = store_kb_save(st, &a)) != ERR_OK)
            err_set(ed, rc, NULL, "could not store the article");
    }
    if (rc == ERR_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc == ERR_OK)
        rc = store_kb_get(st, a.id, out);
    kb_article_release(&a);
    return rc;
}

int core_kb_list(struct store *st, const struct user *u, const struct kb_query *q,
                 struct kb_article **out, size_t *n, struct err_detail *ed)
{
    *out = NULL;
    *n = 0;
    if (q->state != KB_CURRENT && !policy_allows(st, u, POL_KB_EDIT, 0))
        return err_set(ed, ERR_FORBIDDEN, "state",
                       "Süresi geçmiş, henüz geçerli olmayan ve arşivlenmiş maddeleri yalnız "
                       "editörler listeler / only editors list articles that are not current");
    if (q->limit < 1 || q->limit > 200)
        return err_set(ed, ERR_INVALID, "limit", "limit must be 1..200");
    int rc = store_kb_list(st, q, out, n);
    if (rc == ERR_INVALID)
        return err_set(ed, rc, "q", "Arama metni geçerli UTF-8 değil / q is not valid UTF-8");
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "could not search the knowledge base");
    return ERR_OK;
}

int core_kb_get(struct store *st, const struct user *u, int64_t id, struct kb_article *out,
                struct err_detail *ed)
{
    int rc = store_kb_get(st, id, out);
    if (rc == ERR_OK && !out->active && !policy_allows(st, u, POL_KB_EDIT, 0)) {
        kb_article_release(out);
        rc = ERR_NOT_FOUND;
    }
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "Böyle bir madde yok / no such article");
    return ERR_OK;
}
