/* Core's changes against a real (temporary SQLite) store: the department tree refuses
 * cycles, departments and users keep their rules, the attachment limit holds under
 * concurrent uploads (counted inside the write transaction), an illegal transition reports
 * the allowed actions as a bitmask, and the access-policy table. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/admin.h"
#include "core/app.h"
#include "core/citizen.h"
#include "core/lifecycle.h"
#include "core/policy.h"
#include "core/users.h"
#include "store/store.h"

struct fixture {
    char path[64];
    struct store *st;
    struct user admin;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct err_detail ed = { 0 };
    snprintf(f->path, sizeof(f->path), "/tmp/alo153-core-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(f->path);
    if (store_open(f->path, &f->st, &ed) != ERR_OK) {
        fprintf(stderr, "setup: %s\n", ed.message);
        return -1;
    }
    int64_t metro;
    int rc = store_institution_upsert(f->st, "METRO", "Büyükşehir", "metropolitan", &metro);
    if (rc != ERR_OK) {
        fprintf(stderr, "setup: institution %s\n", err_name(rc));
        return -1;
    }
    struct user_input in = {
        .username = "admin", .role = "admin", .password_hash = "!", .disabled = -1
    };
    if (core_user_create(f->st, &in, &f->admin, &ed) != ERR_OK) {
        fprintf(stderr, "setup: %s\n", ed.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[80];
    store_close(f->st);
    for (const char *sfx = ""; sfx; sfx = *sfx ? (sfx[1] == 'w' ? "-shm" : NULL) : "-wal") {
        snprintf(p, sizeof(p), "%s%s", f->path, sfx);
        unlink(p);
    }
    free(f);
    return 0;
}

static void add_dept(struct store *st, const char *code, const char *parent)
{
    struct dept_input in = { .code = code, .parent = parent, .name = code, .active = -1 };
    struct dept_result out;
    struct err_detail ed = { 0 };
    int rc = core_department_write(st, NULL, &in, &out, &ed);
    if (rc != ERR_OK)
        fprintf(stderr, "add_dept %s: %s\n", code, ed.message);
    assert_int_equal(rc, ERR_OK);
    assert_string_equal(out.parent_code, parent ? parent : "");
}

static void test_parent_cycle(void **state)
{
    struct fixture *f = *state;
    struct dept_result out;
    struct err_detail ed = { 0 };
    add_dept(f->st, "FEN", NULL);
    add_dept(f->st, "FEN_YOL", "FEN");
    add_dept(f->st, "FEN_YOL_ASFALT", "FEN_YOL");
    /* below its own grandchild, its child, itself: refused, nothing changed */
    const char *below[] = { "FEN_YOL_ASFALT", "FEN_YOL", "FEN" };
    for (int i = 0; i < 3; i++) {
        struct dept_input in = { .parent = below[i], .active = -1 };
        memset(&ed, 0, sizeof(ed));
        assert_int_equal(core_department_write(f->st, "FEN", &in, &out, &ed), ERR_UNPROCESSABLE);
        assert_string_equal(ed.field, "parent");
    }
    struct department d;
    assert_int_equal(store_department_by_code(f->st, "FEN", &d), ERR_OK);
    assert_int_equal(d.parent_id, 0);
    /* moving a leaf under another branch is fine */
    add_dept(f->st, "ZABITA", NULL);
    struct dept_input in = { .parent = "ZABITA", .active = -1 };
    assert_int_equal(core_department_write(f->st, "FEN_YOL_ASFALT", &in, &out, &ed), ERR_OK);
    assert_string_equal(out.parent_code, "ZABITA");
}

static void test_department_rules(void **state)
{
    struct fixture *f = *state;
    struct dept_result out;
    struct err_detail ed = { 0 };
    add_dept(f->st, "FEN", NULL);
    struct dept_input dup = { .code = "FEN", .name = "Fen", .active = -1 };
    assert_int_equal(core_department_write(f->st, NULL, &dup, &out, &ed), ERR_CONFLICT);
    assert_string_equal(ed.field, "code");
    struct dept_input noname = { .code = "NEW", .active = -1 };
    assert_int_equal(core_department_write(f->st, NULL, &noname, &out, &ed), ERR_INVALID);
    assert_string_equal(ed.name, "missing_field");
    struct dept_input badcode = { .code = "fen", .name = "x", .active = -1 };
    assert_int_equal(core_department_write(f->st, NULL, &badcode, &out, &ed), ERR_INVALID);
    struct dept_input rename = { .code = "OTHER", .active = -1 };
    assert_int_equal(core_department_write(f->st, "FEN", &rename, &out, &ed), ERR_INVALID);
    struct dept_input none = { .active = 0 };
    assert_int_equal(core_department_write(f->st, "NOPE", &none, &out, &ed), ERR_NOT_FOUND);
    struct dept_input inst = { .code = "X1", .name = "x", .institution = "NOPE", .active = -1 };
    assert_int_equal(core_department_write(f->st, NULL, &inst, &out, &ed), ERR_UNPROCESSABLE);
    assert_int_equal(store_department_by_code(f->st, "X1", &out.d), ERR_NOT_FOUND);
}

static void test_user_rules(void **state)
{
    struct fixture *f = *state;
    struct user u;
    struct err_detail ed = { 0 };
    add_dept(f->st, "FEN", NULL);
    struct user_input bad = { .username = "Ali",
                              .role = "staff",
                              .department = "FEN",
                              .password = "long enough",
                              .disabled = -1 };
    assert_int_equal(core_user_create(f->st, &bad, &u, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "username");
    struct user_input nodept = {
        .username = "ali", .role = "staff", .password = "long enough", .disabled = -1
    };
    assert_int_equal(core_user_create(f->st, &nodept, &u, &ed), ERR_INVALID);
    assert_string_equal(ed.name, "missing_field");
    struct user_input admdept = { .username = "ali",
                                  .role = "admin",
                                  .department = "FEN",
                                  .password = "long enough",
                                  .disabled = -1 };
    assert_int_equal(core_user_create(f->st, &admdept, &u, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "department");
    struct user_input shortpw = {
        .username = "ali", .role = "staff", .department = "FEN", .password = "short", .disabled = -1
    };
    assert_int_equal(core_user_create(f->st, &shortpw, &u, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "password");
    struct user_input ok = { .username = "ali",
                             .role = "staff",
                             .department = "FEN",
                             .password = "long enough",
                             .disabled = -1 };
    assert_int_equal(core_user_create(f->st, &ok, &u, &ed), ERR_OK);
    assert_string_equal(u.department_code, "FEN");
    int64_t id = u.id;
    assert_int_equal(core_user_create(f->st, &ok, &u, &ed), ERR_CONFLICT);
    struct user_input off = { .disabled = 1 };
    assert_int_equal(core_user_update(f->st, id, &off, &u, &ed), ERR_OK);
    assert_true(u.disabled);
    assert_int_equal(core_user_update(f->st, 9999, &off, &u, &ed), ERR_NOT_FOUND);
}

static int64_t new_app(struct fixture *f)
{
    struct app_input in = { .channel = "phone_153", .text = "Sokakta büyük çukur var" };
    struct app a;
    struct err_detail ed = { 0 };
    assert_int_equal(core_app_create(f->st, &f->admin, &in, &a, &ed), ERR_OK);
    int64_t id = a.id;
    app_release(&a);
    return id;
}

static size_t count_files(struct store *st, int64_t id)
{
    struct attachment *list = NULL;
    size_t n = 0;
    assert_int_equal(store_attachment_list(st, id, &list, &n), ERR_OK);
    free(list);
    return n;
}

/* a real 1×1 grey PNG: uploads are checked by their bytes (core/photo.h) */
static const unsigned char png1x1[] = { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00,
                                        0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
                                        0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a,
                                        0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41,
                                        0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00,
                                        0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49,
                                        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82 };

static void test_attach_limit(void **state)
{
    struct fixture *f = *state;
    struct attachment at;
    struct err_detail ed = { 0 };
    int64_t id = new_app(f);
    /* trailing bytes after IEND make each file different and keep it a valid PNG */
    char png[sizeof(png1x1) + 12] = { 0 };
    memcpy(png, png1x1, sizeof(png1x1));
    assert_int_equal(core_app_attach(f->st, &f->admin, id, "hello", 5, "a.txt", NULL, &at, &ed),
                     ERR_UNSUPPORTED);
    assert_string_equal(ed.name, "unsupported_media_type");
    /* a declared type must be what the bytes are (a text/plain form post is not a PDF) */
    static const char *const wrong_types[] = { "text/plain", "image/png",
                                               "application/x-www-form-urlencoded" };
    for (size_t i = 0; i < sizeof(wrong_types) / sizeof(wrong_types[0]); i++) {
        memset(&ed, 0, sizeof(ed));
        assert_int_equal(core_app_attach(f->st, &f->admin, id, "%PDF-1.4\n", 9, "a.pdf",
                                         wrong_types[i], &at, &ed),
                         ERR_UNSUPPORTED);
        assert_string_equal(ed.name, "unsupported_media_type");
    }
    /* names that are not UTF-8, or that turn text around (U+202E, U+2067, U+200F) */
    static const char *const bad_names[] = { "\xff\xfe.png", "a\xc3.png",
                                             "fatura\xe2\x80\xaegnp.exe", "x\xe2\x81\xa7.png",
                                             "y\xe2\x80\x8f.png" };
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        memset(&ed, 0, sizeof(ed));
        assert_int_equal(
            core_app_attach(f->st, &f->admin, id, png, sizeof(png), bad_names[i], NULL, &at, &ed),
            ERR_INVALID);
        assert_string_equal(ed.field, "filename");
    }
    assert_int_equal(count_files(f->st, id), 0); /* nothing refused was stored or counted */
    for (int i = 0; i < CORE_ATTACH_MAX; i++) {
        snprintf(png + sizeof(png1x1), 12, "%d", i); /* a different file each time */
        static const char *const ok_types[] = { NULL, "image/png", "Image/PNG; x=y",
                                                "application/octet-stream" };
        assert_int_equal(core_app_attach(f->st, &f->admin, id, png, sizeof(png),
                                         i == 1 ? "şükrü ğ.png" : "a/b.png", ok_types[i % 4], &at,
                                         &ed),
                         ERR_OK);
    }
    assert_string_equal(at.filename, "a_b.png");
    assert_int_equal(core_app_attach(f->st, &f->admin, id, png, sizeof(png), NULL, NULL, &at, &ed),
                     ERR_CONFLICT);
    assert_string_equal(ed.field, "file");
    assert_int_equal(count_files(f->st, id), CORE_ATTACH_MAX);
    assert_int_equal(
        core_app_attach(f->st, &f->admin, 9999, png, sizeof(png), NULL, NULL, &at, &ed),
        ERR_NOT_FOUND);
}

/* Eight uploads at once, each on its own connection, to an application with one place
 * left: exactly one gets it. */
struct racer {
    const char *path;
    const struct user *actor;
    int64_t id;
    pthread_barrier_t *go;
    int rc;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct store *st;
    struct err_detail ed = { 0 };
    struct attachment at;
    const unsigned char *png = png1x1;
    if (store_open_existing(r->path, &st, &ed) != ERR_OK) {
        r->rc = ERR_STORE;
        return NULL;
    }
    pthread_barrier_wait(r->go);
    r->rc = core_app_attach(st, r->actor, r->id, png, sizeof(png1x1), "r.png", NULL, &at, &ed);
    store_close(st);
    return NULL;
}

static void test_attach_limit_concurrent(void **state)
{
    struct fixture *f = *state;
    struct attachment at;
    struct err_detail ed = { 0 };
    int64_t id = new_app(f);
    char png[sizeof(png1x1) + 12] = { 0 };
    memcpy(png, png1x1, sizeof(png1x1));
    for (int i = 0; i < CORE_ATTACH_MAX - 1; i++) {
        snprintf(png + sizeof(png1x1), 12, "%d", i); /* after IEND: still a PNG */
        assert_int_equal(
            core_app_attach(f->st, &f->admin, id, png, sizeof(png), NULL, NULL, &at, &ed), ERR_OK);
    }
    enum { N = 8 };
    pthread_t t[N];
    struct racer r[N];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    for (int i = 0; i < N; i++) {
        r[i] = (struct racer){ .path = f->path, .actor = &f->admin, .id = id, .go = &go };
        pthread_create(&t[i], NULL, race, &r[i]);
    }
    int ok = 0, full = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ok += r[i].rc == ERR_OK;
        full += r[i].rc == ERR_CONFLICT;
    }
    pthread_barrier_destroy(&go);
    assert_int_equal(ok, 1);
    assert_int_equal(full, N - 1);
    assert_int_equal(count_files(f->st, id), CORE_ATTACH_MAX);
}

static void test_link(void **state)
{
    struct fixture *f = *state;
    struct app a;
    struct err_detail ed = { 0 };
    int64_t x = new_app(f), y = new_app(f);
    assert_int_equal(core_app_link(f->st, &f->admin, x, x, NULL, &a, &ed), ERR_INVALID);
    assert_int_equal(core_app_link(f->st, &f->admin, x, 9999, NULL, &a, &ed), ERR_UNPROCESSABLE);
    assert_string_equal(ed.field, "other_id");
    assert_int_equal(core_app_link(f->st, &f->admin, x, y, "aynı yer", &a, &ed), ERR_OK);
    assert_int_equal(a.id, x);
    app_release(&a);
    /* staff of another department see neither end */
    add_dept(f->st, "FEN", NULL);
    struct user staff = { .id = f->admin.id, .role = ROLE_STAFF };
    assert_int_equal(store_department_by_code(f->st, "FEN", &(struct department){ 0 }), ERR_OK);
    assert_int_equal(core_app_link(f->st, &staff, x, y, NULL, &a, &ed), ERR_NOT_FOUND);
}

static void test_illegal_transition(void **state)
{
    struct fixture *f = *state;
    struct app a;
    struct err_detail ed = { 0 };
    struct act_input in = { 0 };
    int64_t id = new_app(f);
    assert_int_equal(core_app_act(f->st, &f->admin, id, ACT_CLOSE, &in, &a, &ed), ERR_CONFLICT);
    assert_string_equal(ed.name, "invalid_transition");
    assert_string_equal(ed.field, "status");
    assert_true(ed.has_allowed);
    assert_int_equal(ed.allowed, (1u << ACT_ROUTE) | (1u << ACT_OUT_OF_SCOPE) |
                                     (1u << ACT_DUPLICATE) | (1u << ACT_NOTE));
    assert_int_equal(ed.allowed, lifecycle_allowed_mask(ST_NEW));
}

static void test_citizen_rules(void **state)
{
    struct fixture *f = *state;
    struct citizen c;
    struct err_detail ed = { 0 };
    struct citizen_input empty = { .address = "Merkez" };
    assert_int_equal(core_citizen_create(f->st, &empty, &c, &ed), ERR_INVALID);
    assert_string_equal(ed.name, "missing_field");
    citizen_release(&c);
    struct citizen_input named = { .name = "Ayşe" };
    assert_int_equal(core_citizen_read(&named, CITIZEN_NEED_CONTACT, &c, &ed), ERR_INVALID);
    citizen_release(&c);
    struct citizen_input badtc = { .name = "Ayşe", .tc = "12345678901" };
    assert_int_equal(core_citizen_create(f->st, &badtc, &c, &ed), ERR_INVALID);
    assert_string_equal(ed.field, "tc");
    citizen_release(&c);
    struct citizen_input ok = { .name = "Ayşe", .phone = "0532 123 45 67" };
    assert_int_equal(core_citizen_create(f->st, &ok, &c, &ed), ERR_OK);
    assert_string_equal(c.phone, "+905321234567");
    assert_true(c.id > 0);
    citizen_release(&c);
}

static void test_policy_table(void **state)
{
    (void)state;
    assert_int_equal(policy_scope(ROLE_STAFF, POL_APP_READ), POL_SUBTREE);
    assert_int_equal(policy_scope(ROLE_MANAGER, POL_APP_WORK), POL_SUBTREE);
    assert_int_equal(policy_scope(ROLE_AGENT, POL_APP_READ), POL_ALL);
    assert_int_equal(policy_scope(ROLE_MANAGER, POL_PERSONAL), POL_NONE);
    assert_int_equal(policy_scope(ROLE_DESK, POL_PERSONAL), POL_ALL);
    assert_int_equal(policy_scope(ROLE_SUPERVISOR, POL_ADMINISTER), POL_NONE);
    assert_int_equal(policy_scope(ROLE_ADMIN, POL_ADMINISTER), POL_ALL);
    assert_int_equal(policy_scope(ROLE_SUPERVISOR, POL_OVERSEE), POL_ALL);
    assert_int_equal(policy_scope(ROLE_STAFF, POL_REGISTER), POL_NONE);
    assert_int_equal(policy_scope((enum role)99, POL_APP_READ), POL_NONE);
    struct user fen = { .role = ROLE_MANAGER, .department_id = 7 };
    struct user sup = { .role = ROLE_SUPERVISOR };
    /* decided from the role alone (no store read): everything, or nothing */
    struct dept_reach r;
    assert_int_equal(policy_reach(NULL, &sup, POL_APP_READ, &r), ERR_OK);
    assert_false(r.limited);
    assert_int_equal(policy_reach(NULL, &fen, POL_PERSONAL, &r), ERR_OK);
    assert_true(r.limited);
    assert_int_equal(r.n, 0);
    assert_false(policy_allows(NULL, NULL, POL_APP_READ, 7));
    assert_false(policy_allows(NULL, &fen, POL_APP_READ, 0));
}

static void test_subtree_visibility(void **state)
{
    struct fixture *f = *state;
    struct department fen, yol, zab;
    add_dept(f->st, "FEN", NULL);
    add_dept(f->st, "FEN_YOL", "FEN");
    add_dept(f->st, "ZABITA", NULL);
    store_department_by_code(f->st, "FEN", &fen);
    store_department_by_code(f->st, "FEN_YOL", &yol);
    store_department_by_code(f->st, "ZABITA", &zab);
    struct user m = { .role = ROLE_MANAGER, .department_id = fen.id };
    assert_true(policy_allows(f->st, &m, POL_APP_READ, fen.id));
    assert_true(policy_allows(f->st, &m, POL_APP_READ, yol.id));
    assert_false(policy_allows(f->st, &m, POL_APP_READ, zab.id));
    struct user s = { .role = ROLE_STAFF, .department_id = yol.id };
    assert_false(policy_allows(f->st, &s, POL_APP_WORK, fen.id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parent_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_department_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attach_limit_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_illegal_transition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_citizen_rules, setup, teardown),
        cmocka_unit_test(test_policy_table),
        cmocka_unit_test_setup_teardown(test_subtree_visibility, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
