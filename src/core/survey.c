#include "core/survey.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define MAC_BYTES 16

/* The signing key (setting survey_secret, 64 hex digits), made on first use. */
static int secret(struct store *st, unsigned char key[32])
{
    char hex[80] = "";
    int rc = store_setting_get(st, "survey_secret", hex, sizeof(hex));
    if (rc == ERR_OK && strlen(hex) == 64 &&
        sodium_hex2bin(key, 32, hex, 64, NULL, NULL, NULL) == 0)
        return ERR_OK;
    randombytes_buf(key, 32);
    sodium_bin2hex(hex, sizeof(hex), key, 32);
    return store_setting_set(st, "survey_secret", hex);
}

static void mac_hex(const unsigned char key[32], const char *msg, char out[2 * MAC_BYTES + 1])
{
    unsigned char h[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(h, (const unsigned char *)msg, strlen(msg), key);
    sodium_bin2hex(out, 2 * MAC_BYTES + 1, h, MAC_BYTES);
}

int core_survey_token_new(struct store *st, int64_t app_id, int64_t now, char *token, size_t len)
{
    unsigned char key[32], raw[16];
    char nonce[40], msg[64], mac[2 * MAC_BYTES + 1];
    int rc = secret(st, key);
    if (rc != ERR_OK)
        return rc;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(nonce, sizeof(nonce), raw, sizeof(raw));
    snprintf(msg, sizeof(msg), "%" PRId64 "-%s", app_id, nonce);
    mac_hex(key, msg, mac);
    if ((size_t)snprintf(token, len, "%s-%s", msg, mac) >= len)
        return ERR_INVALID;
    return store_survey_token_add(st, nonce, app_id, now, now + CORE_SURVEY_DAYS * 86400);
}

/* Split and verify a token: *app_id and nonce when the MAC matches. */
static bool token_check(struct store *st, const char *token, int64_t *app_id, char *nonce,
                        size_t nlen)
{
    unsigned char key[32];
    char msg[64], mac[2 * MAC_BYTES + 1];
    const char *d1 = token ? strchr(token, '-') : NULL, *d2 = d1 ? strchr(d1 + 1, '-') : NULL;
    if (!d2 || strlen(token) >= CORE_SURVEY_TOKEN_LEN || (size_t)(d2 - token) >= sizeof(msg) ||
        strlen(d2 + 1) != 2 * MAC_BYTES || (size_t)(d2 - d1 - 1) >= nlen)
        return false;
    memcpy(msg, token, (size_t)(d2 - token));
    msg[d2 - token] = 0;
    char *end;
    long long id = strtoll(token, &end, 10);
    if (end != d1 || id <= 0)
        return false;
    /* the key exists once a token was made; without it no token can be valid */
    char hex[80] = "";
    if (store_setting_get(st, "survey_secret", hex, sizeof(hex)) != ERR_OK || strlen(hex) != 64 ||
        sodium_hex2bin(key, 32, hex, 64, NULL, NULL, NULL) != 0)
        return false;
    mac_hex(key, msg, mac);
    if (sodium_memcmp(mac, d2 + 1, 2 * MAC_BYTES) != 0)
        return false;
    memcpy(nonce, d1 + 1, (size_t)(d2 - d1 - 1));
    nonce[d2 - d1 - 1] = 0;
    *app_id = id;
    return true;
}

static int invalid(struct err_detail *ed)
{
    return err_set_named(ed, ERR_NOT_FOUND, "token_invalid", "token",
                         "this survey link is not valid");
}

int core_survey_view(struct store *st, const char *token, int64_t now, struct survey_view *out,
                     struct err_detail *ed)
{
    char nonce[64];
    memset(out, 0, sizeof(*out));
    if (!token_check(st, token, &out->app_id, nonce, sizeof(nonce)))
        return invalid(ed);
    /* read without using: a transaction rolled back */
    int64_t app_id = 0, expires = 0;
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    rc = store_survey_token_use(st, nonce, now, &app_id, &expires);
    store_rollback(st);
    if (rc == ERR_CONFLICT)
        out->used = true;
    else if (rc != ERR_OK)
        return rc == ERR_NOT_FOUND ? invalid(ed) : err_set(ed, rc, NULL, "database error");
    if (app_id != out->app_id || expires <= now)
        return invalid(ed);
    struct app a = { 0 };
    if ((rc = store_app_get(st, app_id, &a)) != ERR_OK)
        return invalid(ed);
    str_copy(out->tracking, sizeof(out->tracking), a.tracking);
    struct category c;
    if (a.category_id && store_category_get(st, a.category_id, &c) == ERR_OK)
        str_copy(out->category, sizeof(out->category), c.name_tr);
    app_release(&a);
    return ERR_OK;
}

static bool setting_int(struct store *st, const char *key, int dflt, int *out)
{
    char v[32] = "";
    *out = dflt;
    if (store_setting_get(st, key, v, sizeof(v)) == ERR_OK && *v)
        *out = (int)strtol(v, NULL, 10);
    return true;
}

/* Store rating s for application a (filling its department, category, channel, agent) and
 * reopen a closed application for a low one when the settings say so. Inside a transaction. */
static int rate(struct store *st, const struct app *a, struct satisfaction *s, bool *reopened,
                struct err_detail *ed)
{
    int rc;
    if (a) {
        s->app_id = a->id;
        s->department_id = a->department_id;
        s->category_id = a->category_id;
        str_copy(s->channel, sizeof(s->channel), a->channel);
        if (!s->agent_id)
            s->agent_id = a->created_by;
    }
    if ((rc = store_satisfaction_add(st, s)) != ERR_OK)
        return err_set(ed, rc, NULL, "could not store the rating");
    int low, reopen;
    setting_int(st, "survey_low", 2, &low);
    setting_int(st, "survey_reopen", 1, &reopen);
    if (a && reopen && s->rating <= low && a->status == ST_CLOSED) {
        struct user sys = { .id = 0, .role = ROLE_SUPERVISOR };
        str_copy(sys.username, sizeof(sys.username), "anket");
        char note[64];
        snprintf(note, sizeof(note), "düşük memnuniyet puanı: %d / 5", s->rating);
        struct act_input in = { .note = note, .at = s->at };
        struct app out = { 0 };
        if ((rc = core_app_act(st, &sys, a->id, ACT_REOPEN, &in, &out, ed)) != ERR_OK)
            return rc;
        app_release(&out);
        if (reopened)
            *reopened = true;
    }
    return ERR_OK;
}

int core_survey_submit(struct store *st, const char *token, int rating, const char *comment,
                       const char *tracking, int64_t now, bool *reopened, struct err_detail *ed)
{
    char nonce[64];
    int64_t app_id = 0, used_app = 0, expires = 0;
    if (reopened)
        *reopened = false;
    if (rating < 1 || rating > 5)
        return err_set(ed, ERR_INVALID, "rating", "rating must be 1 to 5");
    if (comment && (strlen(comment) > CORE_SURVEY_COMMENT_MAX))
        return err_set(ed, ERR_INVALID, "comment", "the comment is longer than %d bytes",
                       CORE_SURVEY_COMMENT_MAX);
    if (!token_check(st, token, &app_id, nonce, sizeof(nonce)))
        return invalid(ed);
    struct app a = { 0 };
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = store_app_get(st, app_id, &a)) != ERR_OK) {
        rc = invalid(ed);
        goto out;
    }
    if (tracking && *tracking && strcmp(tracking, a.tracking) != 0) {
        rc = err_set_named(ed, ERR_CONFLICT, "token_other_application", "tracking",
                           "this survey link belongs to another application");
        goto out;
    }
    rc = store_survey_token_use(st, nonce, now, &used_app, &expires);
    if (rc == ERR_CONFLICT) {
        rc = err_set_named(ed, ERR_CONFLICT, "token_used", "token",
                           "this survey was already answered");
        goto out;
    }
    if (rc == ERR_NOT_FOUND || (rc == ERR_OK && (used_app != app_id || expires <= now))) {
        rc = invalid(ed);
        goto out;
    }
    if (rc != ERR_OK)
        goto out;
    struct satisfaction s = { .rating = rating, .comment = (char *)comment, .at = now };
    str_copy(s.source, sizeof(s.source), "web");
    if ((rc = rate(st, &a, &s, reopened, ed)) != ERR_OK)
        goto out;
    rc = store_commit(st);
out:
    if (rc != ERR_OK)
        store_rollback(st);
    app_release(&a);
    return rc;
}

int core_survey_ivr(struct store *st, const char *call_ref, const char *tracking, const char *digit,
                    int64_t now, struct satisfaction *out, struct err_detail *ed)
{
    memset(out, 0, sizeof(*out));
    if (!digit || strlen(digit) != 1 || digit[0] < '1' || digit[0] > '5')
        return err_set(ed, ERR_INVALID, "digit", "digit must be 1 to 5");
    struct app a = { 0 };
    bool has_app = false;
    int rc = store_begin(st);
    if (rc != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    out->rating = digit[0] - '0';
    out->at = now;
    str_copy(out->source, sizeof(out->source), "ivr");
    if (call_ref && *call_ref) {
        struct call k;
        if ((rc = store_call_get(st, call_ref, &k)) != ERR_OK) {
            rc = err_set(ed, ERR_NOT_FOUND, "call_id", "no such call");
            goto out;
        }
        str_copy(out->call_ref, sizeof(out->call_ref), call_ref);
        out->agent_id = k.agent_id;
        str_copy(out->channel, sizeof(out->channel), "phone_153");
        struct contact c;
        if (store_contact_by_call(st, k.id, &c) == ERR_OK) {
            out->contact_id = c.id;
            if (c.application_id && store_app_get(st, c.application_id, &a) == ERR_OK)
                has_app = true;
            contact_release(&c);
        }
    }
    if (!has_app && tracking && *tracking) {
        if (store_app_by_tracking(st, tracking, &a) != ERR_OK) {
            rc = err_set(ed, ERR_NOT_FOUND, "tracking", "no such application");
            goto out;
        }
        has_app = true;
    }
    if (!has_app && !out->call_ref[0]) {
        rc = err_set(ed, ERR_INVALID, "call_id", "a survey event names its call or application");
        goto out;
    }
    if ((rc = rate(st, has_app ? &a : NULL, out, NULL, ed)) != ERR_OK)
        goto out;
    if (out->call_ref[0] && !has_app)
        str_copy(out->channel, sizeof(out->channel), "phone_153");
    rc = store_commit(st);
out:
    if (rc != ERR_OK)
        store_rollback(st);
    app_release(&a);
    return rc;
}

/* ---- the reports' figure ---- */

struct group {
    int64_t id;
    char key[64];
    int64_t n, sum, sat;
};

struct group_ctx {
    struct store *st;
    const char *dim;
    struct group *g;
    size_t n, cap;
};

static int group_row(void *vc, const struct satisfaction *s)
{
    struct group_ctx *c = vc;
    struct group k = { 0 };
    if (strcmp(c->dim, "department") == 0) {
        k.id = s->department_id;
    } else if (strcmp(c->dim, "category") == 0) {
        k.id = s->category_id;
    } else if (strcmp(c->dim, "agent") == 0) {
        k.id = s->agent_id;
    } else if (strcmp(c->dim, "channel") == 0) {
        str_copy(k.key, sizeof(k.key), s->channel);
    } else if (strcmp(c->dim, "source") == 0) {
        str_copy(k.key, sizeof(k.key), s->source);
    } else if (strcmp(c->dim, "day") == 0) {
        struct civil_date d = time_civil_from_days(time_istanbul_day(s->at));
        snprintf(k.key, sizeof(k.key), "%04d-%02d-%02d", d.year, d.month, d.day);
    }
    size_t i = 0;
    while (i < c->n && !(c->g[i].id == k.id && strcmp(c->g[i].key, k.key) == 0))
        i++;
    if (i == c->n) {
        if (c->n == c->cap)
            c->g = xrealloc(c->g, (c->cap = c->cap ? 2 * c->cap : 16) * sizeof(*c->g));
        c->g[c->n++] = k;
    }
    c->g[i].n++;
    c->g[i].sum += s->rating;
    c->g[i].sat += s->rating >= 4;
    return 0;
}

int core_satisfaction_group(struct store *st, const char *dim, int64_t from, int64_t to,
                            int (*fn)(void *ctx, int64_t key_id, const char *key, int64_t n,
                                      int64_t sum, int64_t satisfied),
                            void *ctx)
{
    static const char *const dims[] = { "",      "department", "category", "channel",
                                        "agent", "source",     "day",      NULL };
    bool ok = false;
    for (size_t i = 0; dims[i]; i++)
        ok |= strcmp(dims[i], dim ? dim : "") == 0;
    if (!ok)
        return ERR_INVALID;
    struct group_ctx c = { .st = st, .dim = dim ? dim : "" };
    int rc = store_satisfaction_each(st, from, to, group_row, &c);
    for (size_t i = 0; rc == ERR_OK && i < c.n; i++) {
        char key[64];
        if (c.g[i].id && !c.g[i].key[0])
            snprintf(key, sizeof(key), "%" PRId64, c.g[i].id);
        else
            str_copy(key, sizeof(key), c.g[i].key);
        if (fn(ctx, c.g[i].id, key, c.g[i].n, c.g[i].sum, c.g[i].sat))
            break;
    }
    free(c.g);
    return rc;
}
