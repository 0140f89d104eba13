#ifndef ALO_TESTS_STORE_CONF_H
#define ALO_TESTS_STORE_CONF_H
/*
 * The conformance suite's harness: which database the tests run against and a fresh, empty
 * one per test. ALO153_STORE_DB unset: a new SQLite file in a temporary folder per test.
 * ALO153_STORE_DB=<path>: that SQLite file, emptied (deleted) before each test.
 * ALO153_STORE_DB=postgresql://…: that database, emptied before each test by conf_url_reset()
 * (tests/store/README.md says what a runner must provide).
 * Everything else the tests do goes through store.h only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/store.h"

struct conf_db {
    char name[512]; /* what store_open takes: a path or the URL */
    char dir[256];  /* the temporary folder of a SQLite file ("" otherwise) */
};

/* The per-test fixture (cmocka state): a fresh database and one connection to it. */
struct conf_fx {
    struct conf_db db;
    struct store *st;
};

/* Is the backend under test reached by URL (not a SQLite file)? */
bool conf_is_url(void);
/* Make d name an empty database (no schema) of the backend under test. */
void conf_db_fresh(struct conf_db *d);
/* Remove the temporary files of d (nothing for a URL). */
void conf_db_drop(struct conf_db *d);
/* store_open(d), asserting success. */
struct store *conf_open(const struct conf_db *d);
/* The only backend-specific steps of the suite (each fills in a backend's own way):
 * empty the database behind a URL (returns false when it cannot), and make a migrated
 * database's schema look one version older (false when not supported: the test skips). */
bool conf_url_reset(const char *url);
bool conf_db_make_old(const struct conf_db *d);
/* 1 when the backend's full-text index agrees with the applications, 0 when not, -1 when
 * the backend has no such check (URLs). */
int conf_fts_consistent(const struct conf_db *d);

/* cmocka fixtures: *state = a struct conf_fx with a fresh, migrated database. */
int conf_setup(void **state);
int conf_teardown(void **state);
#define CONF_TEST(f) cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)
#define FX(state) ((struct conf_fx *)*(state))

/* Small builders of reference data used by several files (assert on failure). */
int64_t conf_institution(struct store *st, const char *code);
int64_t conf_department(struct store *st, const char *code, int64_t parent_id, int64_t inst_id);
int64_t conf_category(struct store *st, const char *code, int64_t dept_id, const char *name_tr,
                      const char *keywords);
int64_t conf_user(struct store *st, const char *username, enum role role, int64_t dept_id);
/* An application created at `at` (Unix seconds) with text; category 0 = none. */
int64_t conf_app(struct store *st, int64_t category_id, int64_t dept_id, const char *text,
                 int64_t at, struct app *out);

#endif
