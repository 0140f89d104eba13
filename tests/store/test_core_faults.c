/* Core leaves nothing half-written: for each change core makes, fail the n-th store call
 * (n = 1, 2, …) through the fault wrapper and check that core reports an error and that a
 * second, plain connection sees the database exactly as before; stop at the first n the
 * change no longer reaches.
 *
 * Core's signatures are changing (issue 8, step 2): everything this file calls in core goes
 * through the adapters right below, so an integrator adapts them in one place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "core/app.h"
#include "core/setup.h"
#include "fault_store.h"
#include "util/log.h"

/* ---- adapters to core ---- */

static int adapt_seed_reference(struct store *st)
{
    return setup_reference(st, "38", "Kayseri", NULL);
}

static int adapt_app_create(struct store *st, const struct user *actor, const char *category,
                            bool route, struct citizen *new_citizen, struct app *out)
{
    struct app_input in = { .channel = "phone_153",
                            .text = "Talas yolunda derin çukur var",
                            .category = category,
                            .route = route,
                            .new_citizen = new_citizen,
                            .created_at = 1767225600 };
    struct err_detail ed = { 0 };
    int rc = core_app_create(st, actor, &in, out, &ed);
    if (rc != ERR_OK && getenv("CONF_DEBUG"))
        fprintf(stderr, "create: %d %s %s\n", rc, ed.field, ed.message);
    return rc;
}

static int adapt_app_act(struct store *st, const struct user *actor, int64_t id,
                         enum app_action action, int64_t other_id, struct app *out)
{
    struct act_input in = { .note = "gerekçe",
                            .response = "Ekip yönlendirildi, onarıldı",
                            .category = "FEN_YOL_CUKUR",
                            .department = "CEVRE",
                            .institution = "TEDAŞ (186)",
                            .duplicate_of = other_id,
                            .at = 1767312000 };
    struct err_detail ed = { 0 };
    int rc = core_app_act(st, actor, id, action, &in, out, &ed);
    if (rc != ERR_OK && getenv("CONF_DEBUG"))
        fprintf(stderr, "act: %d %s %s\n", rc, ed.field, ed.message);
    return rc;
}

static int adapt_app_attach(struct store *st, const struct user *actor, int64_t id)
{
    /* a real 1×1 grey PNG: uploads are checked by their bytes (core/photo.h) */
    static const unsigned char png[] = { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00,
                                         0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
                                         0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a,
                                         0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41,
                                         0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00,
                                         0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49,
                                         0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82 };
    struct attachment at;
    struct err_detail ed = { 0 };
    int rc = core_app_attach(st, actor, id, png, sizeof(png), "çukur.png", "image/png", &at, &ed);
    if (rc != ERR_OK && getenv("CONF_DEBUG"))
        fprintf(stderr, "attach: %d %s %s\n", rc, ed.field, ed.message);
    return rc;
}

static int adapt_app_link(struct store *st, const struct user *actor, int64_t id, int64_t other)
{
    struct app a;
    struct err_detail ed = { 0 };
    int rc = core_app_link(st, actor, id, other, "aynı çukur", &a, &ed);
    if (rc == ERR_OK)
        app_release(&a);
    else if (getenv("CONF_DEBUG"))
        fprintf(stderr, "link: %d %s %s\n", rc, ed.field, ed.message);
    return rc;
}

/* ---- the database snapshot compared before and after ---- */

struct snap {
    int64_t apps, events, links, attachments, citizens;
    int status;
    int64_t resolution_due, first_response_due, forwarded_at, updated_at, category_id;
};

static int count_events(struct store *st, int64_t n_apps, int64_t *events, int64_t *links,
                        int64_t *att)
{
    *events = *links = *att = 0;
    for (int64_t id = 1; id <= n_apps + 2; id++) {
        struct app_event *v = NULL;
        struct attachment *a = NULL;
        size_t n = 0;
        assert_int_equal(store_event_list(st, id, false, &v, &n), ERR_OK);
        *events += (int64_t)n;
        for (size_t i = 0; i < n; i++)
            app_event_release(&v[i]);
        free(v);
        assert_int_equal(store_attachment_list(st, id, &a, &n), ERR_OK);
        *att += (int64_t)n;
        free(a);
    }
    return 0;
}

static int link_counter(void *ctx, int64_t other, const char *tracking, const char *kind)
{
    (void)other, (void)tracking, (void)kind;
    ++*(int64_t *)ctx;
    return 0;
}

static void snapshot(const struct conf_db *db, int64_t app_id, struct snap *s)
{
    struct store *st = conf_open(db);
    struct app_filter f = { .limit = 1 };
    memset(s, 0, sizeof(*s));
    assert_int_equal(store_app_count(st, &f, &s->apps), ERR_OK);
    count_events(st, s->apps, &s->events, &s->links, &s->attachments);
    for (int64_t id = 1; id <= s->apps + 2; id++)
        assert_int_equal(store_link_each(st, id, link_counter, &s->links), ERR_OK);
    /* citizens: ids are dense from 1 in both backends' sequences; count the ones that exist */
    for (int64_t id = 1; id < 64; id++) {
        struct citizen c;
        if (store_citizen_get(st, id, &c) == ERR_OK) {
            s->citizens++;
            citizen_release(&c);
        }
    }
    struct app a;
    s->status = -1;
    if (app_id && store_app_get(st, app_id, &a) == ERR_OK) {
        s->status = (int)a.status;
        s->resolution_due = a.resolution_due;
        s->first_response_due = a.first_response_due;
        s->forwarded_at = a.forwarded_at;
        s->updated_at = a.updated_at;
        s->category_id = a.category_id;
        app_release(&a);
    }
    store_close(st);
}

static void assert_same(const struct snap *a, const struct snap *b, const char *what, long n)
{
    if (memcmp(a, b, sizeof(*a)) != 0)
        fail_msg("%s, store call %ld failed: the database changed (apps %lld→%lld, events "
                 "%lld→%lld, links %lld→%lld, citizens %lld→%lld, status %d→%d, due %lld→%lld)",
                 what, n, (long long)a->apps, (long long)b->apps, (long long)a->events,
                 (long long)b->events, (long long)a->links, (long long)b->links,
                 (long long)a->citizens, (long long)b->citizens, a->status, b->status,
                 (long long)a->resolution_due, (long long)b->resolution_due);
}

/* ---- the template: a seeded database copied for every run ---- */

struct tmpl {
    struct conf_db db; /* the template */
    struct user actor; /* a supervisor: may take every action */
    int64_t app[8];    /* applications in the states the actions need */
};

enum { A_NEW, A_FORWARDED, A_IN_PROGRESS, A_RESOLVED, A_CLOSED, A_HOLD, A_NEW2 };

static int64_t seed_app(struct store *st, const struct user *u, const enum app_action *acts, int n)
{
    struct app a;
    assert_int_equal(adapt_app_create(st, u, "FEN_YOL_CUKUR", false, NULL, &a), ERR_OK);
    int64_t id = a.id;
    app_release(&a);
    for (int i = 0; i < n; i++) {
        assert_int_equal(adapt_app_act(st, u, id, acts[i], 0, &a), ERR_OK);
        app_release(&a);
    }
    return id;
}

static void seed(const struct conf_db *db, struct tmpl *t)
{
    struct store *st = conf_open(db);
    assert_int_equal(adapt_seed_reference(st), ERR_OK);
    conf_user(st, "sup", ROLE_SUPERVISOR, 0);
    assert_int_equal(store_user_by_name(st, "sup", &t->actor, NULL, 0), ERR_OK);
    const struct user *u = &t->actor;
    t->app[A_NEW] = seed_app(st, u, NULL, 0);
    t->app[A_FORWARDED] = seed_app(st, u, (enum app_action[]){ ACT_ROUTE }, 1);
    t->app[A_IN_PROGRESS] = seed_app(st, u, (enum app_action[]){ ACT_ROUTE, ACT_ACCEPT }, 2);
    t->app[A_RESOLVED] =
        seed_app(st, u, (enum app_action[]){ ACT_ROUTE, ACT_ACCEPT, ACT_RESPOND }, 3);
    t->app[A_CLOSED] =
        seed_app(st, u, (enum app_action[]){ ACT_ROUTE, ACT_ACCEPT, ACT_RESPOND, ACT_CLOSE }, 4);
    t->app[A_HOLD] = seed_app(st, u, (enum app_action[]){ ACT_ROUTE, ACT_ACCEPT, ACT_HOLD }, 3);
    t->app[A_NEW2] = seed_app(st, u, NULL, 0);
    store_close(st);
}

static int tmpl_setup(void **state)
{
    struct tmpl *t = calloc(1, sizeof(*t));
    log_set_level(LOG_ERROR + 1);
    conf_db_fresh(&t->db);
    seed(&t->db, t);
    *state = t;
    return 0;
}

static int tmpl_teardown(void **state)
{
    struct tmpl *t = *state;
    conf_db_drop(&t->db);
    free(t);
    return 0;
}

/* A copy of the template: for a SQLite file a file copy (no connection is open, so the
 * WAL has been checkpointed), for a URL the database emptied and seeded again. */
static void tmpl_copy(struct tmpl *t, struct conf_db *out)
{
    if (store_is_url(t->db.name)) {
        conf_db_fresh(out);
        struct tmpl again;
        seed(out, &again);
        return;
    }
    conf_db_fresh(out);
    FILE *in = fopen(t->db.name, "rb"), *o = fopen(out->name, "wb");
    assert_non_null(in);
    assert_non_null(o);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, o), n);
    fclose(in);
    fclose(o);
}

/* The change under test, run on a wrapped connection; returns core's result. */
typedef int (*change_fn)(struct store *st, struct tmpl *t, int64_t *app_id);

/* Run the change once on a copy, with the store failing at call n (0 = never). */
static int run_once(struct tmpl *t, change_fn change, int64_t app_id, long n, int err,
                    struct snap *before, struct snap *after, bool *fired, bool *committed,
                    long *calls)
{
    struct conf_db db;
    tmpl_copy(t, &db);
    snapshot(&db, app_id, before);
    struct store *st = fault_store_wrap(conf_open(&db));
    fault_store_fail_at(st, n, err);
    int64_t id = app_id;
    int rc = change(st, t, &id);
    *fired = fault_store_fired(st);
    *committed = fault_store_committed_before_fault(st);
    *calls = fault_store_calls(st);
    store_close(st);
    snapshot(&db, app_id, after);
    conf_db_drop(&db);
    return rc;
}

static void fault_loop(struct tmpl *t, const char *what, change_fn change, int64_t app_id, int err)
{
    struct snap ref_before, ref_after;
    bool f, c;
    long total;
    /* the outcome without a fault */
    assert_int_equal(run_once(t, change, app_id, 0, err, &ref_before, &ref_after, &f, &c, &total),
                     ERR_OK);
    for (long n = 1; n < 500; n++) {
        struct snap before, after;
        bool fired, committed;
        long calls;
        int rc = run_once(t, change, app_id, n, err, &before, &after, &fired, &committed, &calls);
        if (!fired) {
            /* the change made fewer than n calls: it ran whole, and it must have worked */
            assert_int_equal(rc, ERR_OK);
            assert_true(calls < n);
            assert_true(n > 2);
            return;
        }
        if (committed) {
            /* the fault hit a read after the change was committed (core re-reads the
             * application to return it): the change is whole; core reports the read's
             * error (see the report: the caller cannot tell this from a failed change) */
            assert_true(after.events > before.events);
            assert_same(&ref_after, &after, what, n);
            fprintf(stderr, "note: %s: store call %ld failed after the commit; core returned %d\n",
                    what, n, rc);
            continue;
        }
        if (rc == ERR_OK) {
            /* core went on past a failed read (a lookup it treats as optional): then the
             * change must be exactly the one made without a fault */
            fprintf(stderr, "note: %s: core succeeded although store call %ld of %ld failed\n",
                    what, n, total);
            assert_same(&ref_after, &after, what, n);
            continue;
        }
        assert_same(&before, &after, what, n);
    }
    fail_msg("%s: more than 500 store calls", what);
}

static int ch_create(struct store *st, struct tmpl *t, int64_t *id)
{
    struct app a;
    int rc = adapt_app_create(st, &t->actor, "FEN_YOL_CUKUR", true, NULL, &a);
    (void)id;
    app_release(&a);
    return rc;
}

static int ch_create_citizen(struct store *st, struct tmpl *t, int64_t *id)
{
    struct app a;
    struct citizen c = { .name = "Fatma Demir" };
    snprintf(c.phone, sizeof(c.phone), "+905321234567");
    int rc = adapt_app_create(st, &t->actor, NULL, false, &c, &a);
    (void)id;
    app_release(&a);
    return rc;
}

static void test_create(void **state)
{
    fault_loop(*state, "create (routed)", ch_create, 0, ERR_STORE);
    fault_loop(*state, "create (routed), I/O error", ch_create, 0, ERR_IO);
    fault_loop(*state, "create with a new citizen", ch_create_citizen, 0, ERR_STORE);
}

/* one lifecycle action on the application of the template in the right state */
static struct {
    enum app_action action;
    int app;
} act_case;

static int ch_act(struct store *st, struct tmpl *t, int64_t *id)
{
    struct app a;
    int rc = adapt_app_act(st, &t->actor, *id, act_case.action, t->app[A_NEW2], &a);
    app_release(&a);
    return rc;
}

static void test_actions(void **state)
{
    struct tmpl *t = *state;
    static const struct {
        enum app_action action;
        int app;
    } cases[] = {
        { ACT_ROUTE, A_NEW },           { ACT_ACCEPT, A_FORWARDED },
        { ACT_RETURN, A_FORWARDED },    { ACT_TRANSFER, A_IN_PROGRESS },
        { ACT_RESPOND, A_IN_PROGRESS }, { ACT_REJECT_ANSWER, A_RESOLVED },
        { ACT_CLOSE, A_RESOLVED },      { ACT_REOPEN, A_CLOSED },
        { ACT_OUT_OF_SCOPE, A_NEW },    { ACT_DUPLICATE, A_NEW },
        { ACT_NOTE, A_FORWARDED },      { ACT_HOLD, A_IN_PROGRESS },
        { ACT_RESUME, A_HOLD },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        act_case.action = cases[i].action;
        act_case.app = cases[i].app;
        fault_loop(t, lifecycle_action_name(cases[i].action), ch_act, t->app[cases[i].app],
                   ERR_STORE);
    }
}

/* The wrapper itself: counts, fails once, forwards. */
static int ch_attach(struct store *st, struct tmpl *t, int64_t *id)
{
    return adapt_app_attach(st, &t->actor, *id);
}

static int ch_link(struct store *st, struct tmpl *t, int64_t *id)
{
    return adapt_app_link(st, &t->actor, *id, t->app[A_NEW2]);
}

/* attaching a file (blob, attachment row, history event) and linking two applications
 * (link row both ways, history event) are one transaction each */
static void test_attach_link(void **state)
{
    struct tmpl *t = *state;
    fault_loop(t, "attach", ch_attach, t->app[A_FORWARDED], ERR_STORE);
    fault_loop(t, "attach, I/O error", ch_attach, t->app[A_FORWARDED], ERR_IO);
    fault_loop(t, "link", ch_link, t->app[A_IN_PROGRESS], ERR_STORE);
}

static void test_wrapper(void **state)
{
    struct tmpl *t = *state;
    struct conf_db db;
    tmpl_copy(t, &db);
    struct store *st = fault_store_wrap(conf_open(&db));
    char v[16];
    assert_string_equal(store_backend_name(st), "fault");
    assert_int_equal(store_setting_set(st, "k", "1"), ERR_OK);
    fault_store_fail_at(st, 2, ERR_IO);
    assert_int_equal(store_setting_get(st, "k", v, sizeof(v)), ERR_OK);
    assert_false(fault_store_fired(st));
    assert_int_equal(store_setting_set(st, "k", "2"), ERR_IO); /* not reached through */
    assert_true(fault_store_fired(st));
    assert_int_equal(store_setting_get(st, "k", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "1");
    assert_int_equal(fault_store_calls(st), 3);
    /* a failed commit rolls the transaction back */
    fault_store_fail_at(st, 3, ERR_STORE);
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "k", "3"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_STORE);
    store_rollback(st);
    assert_int_equal(store_setting_get(st, "k", v, sizeof(v)), ERR_OK);
    assert_string_equal(v, "1");
    /* and the connection is usable afterwards */
    fault_store_fail_at(st, 0, ERR_STORE);
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_setting_set(st, "k", "4"), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    assert_true(fault_store_committed_before_fault(st));
    fault_store_fail_at(st, 1, ERR_STORE);
    assert_false(store_department_within(st, 1, 1)); /* booleans fail as false */
    assert_true(store_department_within(st, 1, 1));
    store_close(st);
    conf_db_drop(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrapper),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_actions),
        cmocka_unit_test(test_attach_link),
    };
    return cmocka_run_group_tests_name("core_faults", tests, tmpl_setup, tmpl_teardown);
}
