/* The conformance suite's harness (conf.h). */
#include "conf.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/sqlite/fts_turkish.h"
#include "store/store.h"
#include "util/log.h"

static const char *env_db(void)
{
    const char *e = getenv("ALO153_STORE_DB");
    return e && *e ? e : NULL;
}

bool conf_is_url(void)
{
    return env_db() && store_is_url(env_db());
}

/* PostgreSQL: drop and recreate the public schema with psql, so each test starts empty.
 * A runner that gives each group its own database instead can make this return true. */
bool conf_url_reset(const char *url)
{
    char cmd[1200];
    if (strncmp(url, "postgres", 8) != 0 || strchr(url, '\'')) {
        fprintf(stderr, "conf: do not know how to empty %s\n", url);
        return false;
    }
    snprintf(cmd, sizeof(cmd),
             "psql -q -X -v ON_ERROR_STOP=1 '%s' -c 'DROP SCHEMA IF EXISTS public CASCADE; "
             "CREATE SCHEMA public' >/dev/null 2>&1",
             url);
    return system(cmd) == 0;
}

static void unlink_sqlite(const char *path)
{
    char p[600];
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-journal", path);
    unlink(p);
}

void conf_db_fresh(struct conf_db *d)
{
    memset(d, 0, sizeof(*d));
    const char *e = env_db();
    if (e && store_is_url(e)) {
        snprintf(d->name, sizeof(d->name), "%s", e);
        if (!conf_url_reset(e))
            fail_msg("cannot empty the database %s (see tests/store/README.md)", e);
        return;
    }
    if (e) {
        snprintf(d->name, sizeof(d->name), "%s", e);
        unlink_sqlite(e);
        return;
    }
    snprintf(d->dir, sizeof(d->dir), "%s/alo153-store-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(d->dir))
        fail_msg("mkdtemp %s failed", d->dir);
    snprintf(d->name, sizeof(d->name), "%s/t.db", d->dir);
}

void conf_db_drop(struct conf_db *d)
{
    if (!d->dir[0])
        return;
    unlink_sqlite(d->name);
    rmdir(d->dir);
    d->dir[0] = '\0';
}

struct store *conf_open(const struct conf_db *d)
{
    struct store *st = NULL;
    struct err_detail ed = { 0 };
    int rc = store_open(d->name, &st, &ed);
    if (rc != ERR_OK)
        fail_msg("store_open(%s): %d %s", d->name, rc, ed.message);
    return st;
}

/* SQLite keeps the schema version in PRAGMA user_version. */
bool conf_db_make_old(const struct conf_db *d)
{
    if (store_is_url(d->name))
        return false;
    sqlite3 *db = NULL;
    bool ok = sqlite3_open(d->name, &db) == SQLITE_OK &&
              sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

/* SQLite: FTS5's integrity-check of applications_fts against the applications table (through
 * the backend's tokenizer). */
int conf_fts_consistent(const struct conf_db *d)
{
    if (store_is_url(d->name))
        return -1;
    sqlite3 *db = NULL;
    bool ok = sqlite3_open(d->name, &db) == SQLITE_OK && fts_turkish_register(db) == SQLITE_OK &&
              sqlite3_exec(db,
                           "INSERT INTO applications_fts(applications_fts) "
                           "VALUES ('integrity-check')",
                           NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

int conf_setup(void **state)
{
    log_set_level(LOG_WARN);
    struct conf_fx *fx = calloc(1, sizeof(*fx));
    conf_db_fresh(&fx->db);
    fx->st = conf_open(&fx->db);
    *state = fx;
    return 0;
}

int conf_teardown(void **state)
{
    struct conf_fx *fx = *state;
    store_close(fx->st); /* may be NULL */
    conf_db_drop(&fx->db);
    free(fx);
    return 0;
}

int64_t conf_institution(struct store *st, const char *code)
{
    int64_t id = 0;
    assert_int_equal(store_institution_upsert(st, code, code, "metropolitan", &id), ERR_OK);
    assert_true(id > 0);
    return id;
}

int64_t conf_department(struct store *st, const char *code, int64_t parent_id, int64_t inst_id)
{
    struct department d = { .parent_id = parent_id, .institution_id = inst_id, .active = true };
    snprintf(d.code, sizeof(d.code), "%s", code);
    snprintf(d.name_tr, sizeof(d.name_tr), "%s Müdürlüğü", code);
    snprintf(d.name_en, sizeof(d.name_en), "%s Directorate", code);
    assert_int_equal(store_department_upsert(st, &d, NULL), ERR_OK);
    assert_true(d.id > 0);
    return d.id;
}

int64_t conf_category(struct store *st, const char *code, int64_t dept_id, const char *name_tr,
                      const char *keywords)
{
    struct category c = { .department_id = dept_id,
                          .first_response_days = 2,
                          .sla_days = 10,
                          .working_days = true,
                          .active = true };
    snprintf(c.code, sizeof(c.code), "%s", code);
    snprintf(c.name_tr, sizeof(c.name_tr), "%s", name_tr);
    snprintf(c.name_en, sizeof(c.name_en), "%s (en)", code);
    snprintf(c.keywords, sizeof(c.keywords), "%s", keywords ? keywords : "");
    snprintf(c.priority, sizeof(c.priority), "normal");
    assert_int_equal(store_category_upsert(st, &c, NULL), ERR_OK);
    assert_true(c.id > 0);
    return c.id;
}

int64_t conf_user(struct store *st, const char *username, enum role role, int64_t dept_id)
{
    struct user u = { .role = role, .department_id = dept_id, .created_at = 1700000000 };
    snprintf(u.username, sizeof(u.username), "%s", username);
    snprintf(u.full_name, sizeof(u.full_name), "%s Yılmaz", username);
    assert_int_equal(store_user_create(st, &u, "hash-of-secret", NULL), ERR_OK);
    assert_true(u.id > 0);
    return u.id;
}

int64_t conf_app(struct store *st, int64_t category_id, int64_t dept_id, const char *text,
                 int64_t at, struct app *out)
{
    struct app a = { .status = ST_NEW,
                     .category_id = category_id,
                     .department_id = dept_id,
                     .created_at = at,
                     .updated_at = at };
    snprintf(a.access_code, sizeof(a.access_code), "ABCD2345");
    snprintf(a.kind, sizeof(a.kind), "request");
    snprintf(a.channel, sizeof(a.channel), "phone_153");
    snprintf(a.priority, sizeof(a.priority), "normal");
    a.text = (char *)text;
    assert_int_equal(store_app_create(st, &a, NULL), ERR_OK);
    assert_true(a.id > 0);
    if (out)
        assert_int_equal(store_app_get(st, a.id, out), ERR_OK);
    return a.id;
}
