#include "core/audit.h"

#include <inttypes.h>
#include <string.h>

#include "model/role.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

static _Thread_local struct audit_actor cur_actor;
static _Thread_local bool cur_set;

void audit_set_actor(const struct audit_actor *a)
{
    cur_set = a != NULL;
    if (a)
        cur_actor = *a;
    else
        memset(&cur_actor, 0, sizeof(cur_actor));
}

void audit_get_actor(struct audit_actor *out)
{
    if (cur_set) {
        *out = cur_actor;
        return;
    }
    memset(out, 0, sizeof(*out));
    str_copy(out->name, sizeof(out->name), "cli");
}

int core_audit(struct store *st, const char *kind, const char *object, const char *before,
               const char *after)
{
    struct audit_actor a;
    struct audit_entry e = { 0 };
    audit_get_actor(&a);
    e.at = time_now();
    e.actor_id = a.id;
    str_copy(e.actor, sizeof(e.actor), a.name);
    str_copy(e.address, sizeof(e.address), a.address);
    str_copy(e.kind, sizeof(e.kind), kind);
    /* a longer object name is cut (at a character boundary: the store keeps UTF-8) */
    size_t n = object ? strlen(object) : 0;
    if (n >= sizeof(e.object)) {
        n = sizeof(e.object) - 1;
        while (n > 0 && ((unsigned char)object[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(e.object, object, n);
    e.object[n] = '\0';
    e.before = (char *)(before ? before : "");
    e.after = (char *)(after ? after : "");
    return store_audit_add(st, &e);
}

void audit_json_begin(struct strbuf *sb)
{
    strbuf_init(sb, 0);
    strbuf_addch(sb, '{');
}

static void sep_key(struct strbuf *sb, const char *key)
{
    if (sb->len > 1)
        strbuf_addch(sb, ',');
    strbuf_addch(sb, '"');
    strbuf_adds(sb, key);
    strbuf_adds(sb, "\":");
}

void audit_json_str(struct strbuf *sb, const char *key, const char *v)
{
    sep_key(sb, key);
    strbuf_addch(sb, '"');
    for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            strbuf_addch(sb, '\\');
            strbuf_addch(sb, (char)*p);
        } else if (*p < 0x20) {
            strbuf_addf(sb, "\\u%04x", *p);
        } else {
            strbuf_addch(sb, (char)*p);
        }
    }
    strbuf_addch(sb, '"');
}

void audit_json_int(struct strbuf *sb, const char *key, int64_t v)
{
    sep_key(sb, key);
    strbuf_addf(sb, "%" PRId64, v);
}

void audit_json_bool(struct strbuf *sb, const char *key, bool v)
{
    sep_key(sb, key);
    strbuf_adds(sb, v ? "true" : "false");
}

const char *audit_json_end(struct strbuf *sb)
{
    strbuf_addch(sb, '}');
    return sb->buf;
}

const char *audit_user_json(struct strbuf *sb, const struct user *u)
{
    strbuf_init(sb, 0);
    if (!u) {
        strbuf_adds(sb, "");
        return sb->buf;
    }
    audit_json_begin(sb);
    audit_json_str(sb, "username", u->username);
    audit_json_str(sb, "full_name", u->full_name);
    audit_json_str(sb, "role", role_name(u->role));
    audit_json_str(sb, "department", u->department_code);
    audit_json_bool(sb, "disabled", u->disabled);
    return audit_json_end(sb);
}
