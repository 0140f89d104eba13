/* Conformance: applications (create, tracking numbers, update, get, list filters and keyset
 * paging, count, group counts, repeat candidates, training, suggestions, full-text search),
 * events, links, attachments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define T2026 1767225600 /* 2026-01-01T00:00:00Z */
#define DAY 86400

struct world {
    int64_t metro, fen, yol, cev; /* departments: FEN > FEN_YOL; CEV */
    int64_t cukur, cop;           /* categories of FEN_YOL and CEV */
    int64_t d1, d2, n1, n2;       /* districts, neighbourhoods (n1 in d1, n2 in d2) */
    int64_t cit, user;
};

static void world(struct store *st, struct world *w)
{
    int64_t inst = conf_institution(st, "METRO");
    w->fen = conf_department(st, "FEN", 0, inst);
    w->yol = conf_department(st, "FEN_YOL", w->fen, inst);
    w->cev = conf_department(st, "CEV", 0, inst);
    w->cukur = conf_category(st, "FEN_YOL_CUKUR", w->yol, "Yol çukuru", "çukur");
    w->cop = conf_category(st, "CEV_COP", w->cev, "Çöp toplama", "çöp");
    assert_int_equal(store_district_upsert(st, "38", "Melikgazi", &w->d1), ERR_OK);
    assert_int_equal(store_district_upsert(st, "38", "Kocasinan", &w->d2), ERR_OK);
    assert_int_equal(store_neighbourhood_upsert(st, w->d1, "Anbar", &w->n1), ERR_OK);
    assert_int_equal(store_neighbourhood_upsert(st, w->d2, "Sahabiye", &w->n2), ERR_OK);
    struct citizen c = { .name = "Ayşe", .created_at = T2026 };
    assert_int_equal(store_citizen_create(st, &c), ERR_OK);
    w->cit = c.id;
    w->user = conf_user(st, "operator", ROLE_AGENT, 0);
}

struct spec {
    int64_t cat, dept, district, nb, cit, due, at;
    enum app_status status;
    const char *channel, *kind, *priority, *text, *address;
    bool geo, hold;
    int64_t by, responded, closed; /* created_by, responded_at, closed_at (0 = none) */
};

static int64_t mk(struct store *st, const struct spec *s)
{
    struct app a = { .status = s->status,
                     .category_id = s->cat,
                     .department_id = s->dept,
                     .district_id = s->district,
                     .neighbourhood_id = s->nb,
                     .citizen_id = s->cit,
                     .resolution_due = s->due,
                     .created_at = s->at,
                     .updated_at = s->at,
                     .has_geo = s->geo,
                     .lat = 38.72,
                     .lon = 35.48,
                     .hold_since = s->hold ? s->at : 0,
                     .created_by = s->by,
                     .responded_at = s->responded,
                     .closed_at = s->closed };
    snprintf(a.access_code, sizeof(a.access_code), "K7M2P9QX");
    snprintf(a.kind, sizeof(a.kind), "%s", s->kind ? s->kind : "request");
    snprintf(a.channel, sizeof(a.channel), "%s", s->channel ? s->channel : "phone_153");
    snprintf(a.priority, sizeof(a.priority), "%s", s->priority ? s->priority : "normal");
    a.text = (char *)(s->text ? s->text : "Sokakta sorun var");
    a.address = (char *)s->address;
    if (s->status == ST_FORWARDED || s->status == ST_IN_PROGRESS)
        a.forwarded_at = s->at;
    assert_int_equal(store_app_create(st, &a, NULL), ERR_OK);
    assert_true(a.id > 0);
    return a.id;
}

static void test_create_get_update(void **state)
{
    struct store *st = FX(state)->st;
    struct world w;
    world(st, &w);
    struct app a = { .status = ST_NEW,
                     .category_id = w.cukur,
                     .department_id = w.yol,
                     .district_id = w.d1,
                     .neighbourhood_id = w.n1,
                     .citizen_id = w.cit,
                     .created_by = w.user,
                     .created_at = T2026 + 100,
                     .updated_at = T2026 + 100,
                     .has_geo = true,
                     .lat = 38.7205,
                     .lon = 35.4826 };
    snprintf(a.access_code, sizeof(a.access_code), "K7M2P9QX");
    snprintf(a.kind, sizeof(a.kind), "complaint");
    snprintf(a.channel, sizeof(a.channel), "web");
    snprintf(a.priority, sizeof(a.priority), "high");
    a.text = "Talas yolunda büyük çukur var";
    a.address = "Cumhuriyet Mah. 5. Sokak";
    assert_int_equal(store_app_create(st, &a, NULL), ERR_OK);
    assert_true(a.id > 0);
    assert_string_equal(a.tracking, "2026-000001");
    struct app g;
    assert_int_equal(store_app_get(st, a.id, &g), ERR_OK);
    assert_int_equal(g.id, a.id);
    assert_string_equal(g.tracking, "2026-000001");
    assert_string_equal(g.access_code, "K7M2P9QX");
    assert_string_equal(g.kind, "complaint");
    assert_string_equal(g.channel, "web");
    assert_string_equal(g.priority, "high");
    assert_int_equal(g.status, ST_NEW);
    assert_int_equal(g.category_id, w.cukur);
    assert_string_equal(g.category_code, "FEN_YOL_CUKUR");
    assert_int_equal(g.department_id, w.yol);
    assert_string_equal(g.department_code, "FEN_YOL");
    assert_string_equal(g.text, "Talas yolunda büyük çukur var");
    assert_int_equal(g.district_id, w.d1);
    assert_int_equal(g.neighbourhood_id, w.n1);
    assert_string_equal(g.address, "Cumhuriyet Mah. 5. Sokak");
    assert_true(g.has_geo);
    assert_true(g.lat > 38.7204 && g.lat < 38.7206 && g.lon > 35.4825 && g.lon < 35.4827);
    assert_int_equal(g.citizen_id, w.cit);
    assert_int_equal(g.created_by, w.user);
    assert_int_equal(g.created_at, T2026 + 100);
    assert_int_equal(g.forwarded_at, 0);
    assert_null(g.public_response);
    assert_null(g.redirect);
    app_release(&g);
    /* update writes back every mutable field */
    struct app u = a;
    u.text = "Çukur büyüdü";
    u.address = NULL;
    u.status = ST_IN_PROGRESS;
    u.category_id = w.cop;
    u.department_id = w.cev;
    u.district_id = w.d2;
    u.neighbourhood_id = w.n2;
    u.has_geo = false;
    u.updated_at = T2026 + 200;
    u.forwarded_at = T2026 + 150;
    u.first_response_due = T2026 + 2 * DAY;
    u.resolution_due = T2026 + 10 * DAY;
    u.first_response_at = T2026 + 160;
    u.responded_at = T2026 + 170;
    u.closed_at = T2026 + 180;
    u.hold_since = T2026 + 190;
    u.held_seconds = 42;
    u.public_response = "Ekip yönlendirildi";
    u.duplicate_of = 0;
    u.redirect = "186";
    snprintf(u.priority, sizeof(u.priority), "urgent");
    snprintf(u.kind, sizeof(u.kind), "request");
    snprintf(u.channel, sizeof(u.channel), "desk");
    assert_int_equal(store_app_update(st, &u), ERR_OK);
    assert_int_equal(store_app_by_tracking(st, "2026-000001", &g), ERR_OK);
    assert_int_equal(g.status, ST_IN_PROGRESS);
    assert_string_equal(g.text, "Çukur büyüdü");
    assert_null(g.address);
    assert_false(g.has_geo);
    assert_string_equal(g.category_code, "CEV_COP");
    assert_string_equal(g.department_code, "CEV");
    assert_int_equal(g.district_id, w.d2);
    assert_int_equal(g.neighbourhood_id, w.n2);
    assert_int_equal(g.updated_at, T2026 + 200);
    assert_int_equal(g.forwarded_at, T2026 + 150);
    assert_int_equal(g.first_response_due, T2026 + 2 * DAY);
    assert_int_equal(g.resolution_due, T2026 + 10 * DAY);
    assert_int_equal(g.first_response_at, T2026 + 160);
    assert_int_equal(g.responded_at, T2026 + 170);
    assert_int_equal(g.closed_at, T2026 + 180);
    assert_int_equal(g.hold_since, T2026 + 190);
    assert_int_equal(g.held_seconds, 42);
    assert_string_equal(g.public_response, "Ekip yönlendirildi");
    assert_string_equal(g.redirect, "186");
    assert_string_equal(g.priority, "urgent");
    assert_string_equal(g.channel, "desk");
    assert_string_equal(g.access_code, "K7M2P9QX"); /* not mutable */
    assert_int_equal(g.created_at, T2026 + 100);
    app_release(&g);
    u.id = 9999;
    assert_int_equal(store_app_update(st, &u), ERR_NOT_FOUND);
    assert_int_equal(store_app_by_tracking(st, "2026-000002", &g), ERR_NOT_FOUND);
    /* a reference to a missing row is refused (SQLite: ERR_UNPROCESSABLE) */
    struct app bad = a;
    bad.category_id = 9999;
    assert_true(store_app_create(st, &bad, NULL) < 0);
}

static void test_tracking_numbers(void **state)
{
    struct store *st = FX(state)->st;
    struct app g;
    int64_t a = mk(st, &(struct spec){ .at = T2026 + 10 });
    int64_t b = mk(st, &(struct spec){ .at = T2026 + 20 });
    int64_t c = mk(st, &(struct spec){ .at = T2026 - 4 * 3600 }); /* 2025-12-31 20:00 Istanbul */
    int64_t d = mk(st, &(struct spec){ .at = T2026 - 2 * 3600 }); /* 2026-01-01 01:00 Istanbul */
    const char *want[][2] = { { "2026-000001", NULL },
                              { "2026-000002", NULL },
                              { "2025-000001", NULL },
                              { "2026-000003", NULL } };
    int64_t ids[] = { a, b, c, d };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(store_app_get(st, ids[i], &g), ERR_OK);
        assert_string_equal(g.tracking, want[i][0]);
        app_release(&g);
    }
    /* a rolled-back create, whole or in a savepoint: on SQLite the counter is part of the
     * caller's transaction, so the number comes back with it; on PostgreSQL it is drawn on a
     * connection of its own and committed at once (store/pg/db.c, pg_tracking_draw), so the
     * number is skipped — a gap, which the numbering allows, never a duplicate */
    bool gaps = conf_is_url();
    assert_int_equal(store_begin(st), ERR_OK);
    mk(st, &(struct spec){ .at = T2026 + 30 });
    store_rollback(st);
    assert_int_equal(store_begin(st), ERR_OK);
    int64_t e = mk(st, &(struct spec){ .at = T2026 + 40 });
    assert_int_equal(store_begin(st), ERR_OK);
    mk(st, &(struct spec){ .at = T2026 + 50 });
    store_rollback(st);
    assert_int_equal(store_commit(st), ERR_OK);
    int64_t f = mk(st, &(struct spec){ .at = T2026 + 60 });
    assert_int_equal(store_app_get(st, e, &g), ERR_OK);
    assert_string_equal(g.tracking, gaps ? "2026-000005" : "2026-000004");
    app_release(&g);
    assert_int_equal(store_app_get(st, f, &g), ERR_OK);
    assert_string_equal(g.tracking, gaps ? "2026-000007" : "2026-000005");
    app_release(&g);
}

/* ---- list ---- */

static size_t list_ids(struct store *st, const struct app_filter *f, int64_t *ids, size_t max,
                       int64_t *next, int64_t *next_due)
{
    struct app *v = NULL;
    size_t n = 0;
    assert_int_equal(store_app_list(st, f, &v, &n, next, next_due), ERR_OK);
    assert_true(n <= max);
    for (size_t i = 0; i < n; i++) {
        ids[i] = v[i].id;
        app_release(&v[i]);
    }
    free(v);
    return n;
}

/* Every page of f, concatenated; checks that the cursor ends the walk. */
static size_t walk(struct store *st, struct app_filter f, int64_t *ids, size_t max)
{
    size_t total = 0;
    for (int pages = 0; pages < 100; pages++) {
        int64_t next = -1, next_due = -1;
        size_t n = list_ids(st, &f, ids + total, max - total, &next, f.by_due ? &next_due : NULL);
        total += n;
        if (!next)
            return total;
        assert_int_equal((size_t)n, (size_t)f.limit);
        f.after = next;
        f.after_due = next_due;
    }
    fail_msg("paging does not end");
    return 0;
}

static void expect(const int64_t *got, size_t n, const int64_t *want, size_t wn)
{
    assert_int_equal(n, wn);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

static int64_t count(struct store *st, const struct app_filter *f)
{
    int64_t c = -1;
    assert_int_equal(store_app_count(st, f, &c), ERR_OK);
    return c;
}

#define EXPECT(f, ...)                                                                             \
    do {                                                                                           \
        int64_t want_[] = { __VA_ARGS__ };                                                         \
        int64_t got_[64];                                                                          \
        size_t n_ = walk(st, (f), got_, 64);                                                       \
        expect(got_, n_, want_, sizeof(want_) / sizeof(want_[0]));                                 \
        assert_int_equal(count(st, &(f)), (int64_t)n_);                                            \
    } while (0)
#define EXPECT_NONE(f)                                                                             \
    do {                                                                                           \
        int64_t got_[64];                                                                          \
        assert_int_equal(walk(st, (f), got_, 64), 0);                                              \
        assert_int_equal(count(st, &(f)), 0);                                                      \
    } while (0)

static void test_list_filters(void **state)
{
    struct store *st = FX(state)->st;
    struct world w;
    world(st, &w);
    int64_t a = mk(st, &(struct spec){ .cat = w.cukur,
                                       .dept = w.yol,
                                       .district = w.d1,
                                       .nb = w.n1,
                                       .cit = w.cit,
                                       .at = T2026 + 1 * DAY,
                                       .status = ST_FORWARDED,
                                       .due = T2026 + 5 * DAY });
    int64_t b = mk(st, &(struct spec){ .cat = w.cop,
                                       .dept = w.cev,
                                       .district = w.d2,
                                       .nb = w.n2,
                                       .at = T2026 + 2 * DAY,
                                       .status = ST_NEW,
                                       .channel = "web",
                                       .kind = "complaint" });
    int64_t c = mk(st, &(struct spec){ .cat = w.cukur,
                                       .dept = w.fen,
                                       .district = w.d1,
                                       .at = T2026 + 3 * DAY,
                                       .status = ST_IN_PROGRESS,
                                       .priority = "urgent",
                                       .due = T2026 + 4 * DAY });
    int64_t d = mk(st, &(struct spec){ .cat = w.cukur,
                                       .dept = w.yol,
                                       .at = T2026 + 4 * DAY,
                                       .status = ST_IN_PROGRESS,
                                       .due = T2026 + 4 * DAY,
                                       .hold = true });
    int64_t e = mk(
        st, &(struct spec){ .at = T2026 + 5 * DAY, .status = ST_CLOSED, .due = T2026 + 1 * DAY });
    struct app_filter f = { .limit = 50 };
    EXPECT(f, e, d, c, b, a); /* newest first */
    f = (struct app_filter){ .limit = 50, .statuses = 1u << ST_IN_PROGRESS | 1u << ST_NEW };
    EXPECT(f, d, c, b);
    f = (struct app_filter){ .limit = 50, .department_id = w.fen }; /* FEN and below */
    EXPECT(f, d, c, a);
    f = (struct app_filter){ .limit = 50, .department_id = w.yol };
    EXPECT(f, d, a);
    f = (struct app_filter){ .limit = 50, .reach = { .limited = true, .n = 1, .root = { w.cev } } };
    EXPECT(f, b);
    f = (struct app_filter){ .limit = 50,
                             .reach = { .limited = true, .n = 1, .root = { w.yol } },
                             .department_id = w.fen };
    EXPECT(f, d, a);
    f = (struct app_filter){ .limit = 50,
                             .reach = { .limited = true, .n = 1, .root = { w.cev } },
                             .department_id = w.fen };
    EXPECT_NONE(f);
    f = (struct app_filter){ .limit = 50, .category_id = w.cukur };
    EXPECT(f, d, c, a);
    f = (struct app_filter){ .limit = 50, .district_id = w.d1 };
    EXPECT(f, c, a);
    f = (struct app_filter){ .limit = 50, .neighbourhood_id = w.n2 };
    EXPECT(f, b);
    f = (struct app_filter){ .limit = 50, .citizen_id = w.cit };
    EXPECT(f, a);
    f = (struct app_filter){ .limit = 50 };
    snprintf(f.channel, sizeof(f.channel), "web");
    EXPECT(f, b);
    f = (struct app_filter){ .limit = 50 };
    snprintf(f.kind, sizeof(f.kind), "complaint");
    EXPECT(f, b);
    f = (struct app_filter){ .limit = 50 };
    snprintf(f.priority, sizeof(f.priority), "urgent");
    EXPECT(f, c);
    f = (struct app_filter){ .limit = 50, .from = T2026 + 2 * DAY, .to = T2026 + 4 * DAY };
    EXPECT(f, c, b); /* [from, to) */
    f = (struct app_filter){ .limit = 50, .from = T2026 + 4 * DAY };
    EXPECT(f, e, d);
    f = (struct app_filter){ .limit = 50, .to = T2026 + 2 * DAY + 1 };
    EXPECT(f, b, a);
    /* overdue: open (forwarded, in progress), not on hold, deadline before now */
    f = (struct app_filter){ .limit = 50, .overdue = true, .now = T2026 + 4 * DAY + 1 };
    EXPECT(f, c);
    f = (struct app_filter){ .limit = 50, .overdue = true, .now = T2026 + 6 * DAY };
    EXPECT(f, c, a);
    f = (struct app_filter){ .limit = 50, .overdue = true, .now = T2026 + 4 * DAY };
    EXPECT_NONE(f);
    /* several at once */
    f = (struct app_filter){
        .limit = 50, .category_id = w.cukur, .district_id = w.d1, .statuses = 1u << ST_FORWARDED
    };
    EXPECT(f, a);
    /* by_due: oldest deadline first, none last, ties by id */
    f = (struct app_filter){ .limit = 50, .by_due = true };
    EXPECT(f, e, c, d, a, b);
    /* the list's rows are whole applications */
    struct app *v = NULL;
    size_t n = 0;
    int64_t next = -1;
    f = (struct app_filter){ .limit = 1, .category_id = w.cop };
    assert_int_equal(store_app_list(st, &f, &v, &n, &next, NULL), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(next, 0);
    assert_string_equal(v[0].category_code, "CEV_COP");
    assert_string_equal(v[0].department_code, "CEV");
    assert_string_equal(v[0].text, "Sokakta sorun var");
    assert_true(v[0].tracking[0]);
    app_release(&v[0]);
    free(v);
}

static void test_list_paging(void **state)
{
    struct store *st = FX(state)->st;
    int64_t id[12];
    /* deadlines with ties that cross page boundaries, and rows without one */
    const int64_t due[12] = { 5, 3, 3, 3, 0, 1, 3, 0, 2, 5, 0, 3 };
    for (int i = 0; i < 12; i++)
        id[i] = mk(st, &(struct spec){ .at = T2026 + i,
                                       .status = ST_FORWARDED,
                                       .due = due[i] ? T2026 + due[i] * DAY : 0 });
    for (int limit = 1; limit <= 13; limit++) {
        int64_t got[64];
        struct app_filter f = { .limit = limit };
        size_t n = walk(st, f, got, 64);
        assert_int_equal(n, 12);
        for (int i = 0; i < 12; i++)
            assert_int_equal(got[i], id[11 - i]);
        f.by_due = true;
        n = walk(st, f, got, 64);
        const int order[12] = { 5, 8, 1, 2, 3, 6, 11, 0, 9, 4, 7, 10 };
        assert_int_equal(n, 12);
        for (int i = 0; i < 12; i++)
            assert_int_equal(got[i], id[order[i]]);
    }
    /* the cursor of a page is its last row */
    int64_t got[4], next = 0, next_due = 0;
    struct app_filter f = { .limit = 4, .by_due = true };
    assert_int_equal(list_ids(st, &f, got, 4, &next, &next_due), 4);
    assert_int_equal(next, id[2]);
    assert_int_equal(next_due, T2026 + 3 * DAY);
    f = (struct app_filter){ .limit = 4 };
    assert_int_equal(list_ids(st, &f, got, 4, &next, NULL), 4);
    assert_int_equal(next, id[8]);
}

/* The deadline order and the search order, paged at every size over rows with and without a
 * deadline, with ties, under filters: the pages concatenated are the whole order, each row
 * once (sort=due walks applications_due_order, a search the full-text index). */
struct due_row {
    int64_t id, due;
};

static int due_cmp(const void *x, const void *y)
{
    const struct due_row *a = x, *b = y;
    int64_t da = a->due ? a->due : INT64_MAX, db = b->due ? b->due : INT64_MAX;
    return da != db ? (da < db ? -1 : 1) : (a->id > b->id) - (a->id < b->id);
}

static void test_list_due_and_search_paging(void **state)
{
    struct store *st = FX(state)->st;
    enum { N = 30 };
    struct due_row all[N], open[N], hit[N], hit_new[N];
    size_t nall = 0, nopen = 0, nhit = 0;
    const enum app_status sts[3] = { ST_FORWARDED, ST_CLOSED, ST_IN_PROGRESS };
    for (int i = 0; i < N; i++) {
        int64_t due = (i * 7) % 5 == 0 ? 0 : T2026 + ((i * 7) % 5) * DAY; /* 0: none */
        bool match = i % 3 != 1;
        enum app_status status = sts[i % 3 == 1 ? 1 : (i / 3) % 2 ? 2 : 0];
        int64_t id =
            mk(st, &(struct spec){ .at = T2026 + i,
                                   .status = status,
                                   .due = due,
                                   .text = match ? "Yolda çukurlar var" : "Işık yanmıyor" });
        all[nall++] = (struct due_row){ id, due };
        if (status != ST_CLOSED)
            open[nopen++] = (struct due_row){ id, due };
        if (match)
            hit[nhit++] = (struct due_row){ id, due };
    }
    qsort(all, nall, sizeof(all[0]), due_cmp);
    qsort(open, nopen, sizeof(open[0]), due_cmp);
    memcpy(hit_new, hit, sizeof(hit));
    qsort(hit, nhit, sizeof(hit[0]), due_cmp);
    for (size_t i = 0; i < nhit / 2; i++) { /* newest first: ids descending */
        struct due_row t = hit_new[i];
        hit_new[i] = hit_new[nhit - 1 - i];
        hit_new[nhit - 1 - i] = t;
    }
    const struct {
        struct app_filter f;
        const struct due_row *want;
        size_t n;
    } cases[] = {
        { { .by_due = true }, all, nall },
        { { .by_due = true, .statuses = 1u << ST_FORWARDED | 1u << ST_IN_PROGRESS }, open, nopen },
        { { .by_due = true, .q = "çukur" }, hit, nhit },
        { { .q = "çukur" }, hit_new, nhit },
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
        for (int limit = 1; limit <= 7; limit++) {
            int64_t got[64];
            struct app_filter f = cases[c].f;
            f.limit = limit;
            size_t n = walk(st, f, got, 64);
            assert_int_equal(n, cases[c].n);
            for (size_t i = 0; i < n; i++)
                assert_int_equal(got[i], cases[c].want[i].id);
            /* the capped count stops one past the cap */
            f.count_cap = 3;
            assert_int_equal(count(st, &f), 4);
            f.count_cap = 0;
            assert_int_equal(count(st, &f), (int64_t)cases[c].n);
        }
}

/* ---- group counts ---- */

struct groups {
    char s[512];
};

static int group_cb(void *ctx, const char *key, int64_t n)
{
    struct groups *g = ctx;
    snprintf(g->s + strlen(g->s), sizeof(g->s) - strlen(g->s), "%s%s=%lld", g->s[0] ? " " : "", key,
             (long long)n);
    return 0;
}

/* scope 0: every department, else that one subtree */
static const char *groups(struct store *st, const char *dim, int64_t from, int64_t to,
                          int64_t scope, struct groups *g)
{
    struct dept_reach r = { .limited = true, .n = 1, .root = { scope } };
    g->s[0] = '\0';
    assert_int_equal(store_app_group_count(st, dim, from, to, scope ? &r : NULL, group_cb, g),
                     ERR_OK);
    return g->s;
}

static const char *groups_in(struct store *st, const char *dim, const struct dept_reach *r,
                             struct groups *g)
{
    g->s[0] = '\0';
    assert_int_equal(store_app_group_count(st, dim, 0, 0, r, group_cb, g), ERR_OK);
    return g->s;
}

/* A reach of several subtrees (a manager's own department and the granted ones, issue 12):
 * the counts and the lists cover exactly their union, and for disjoint subtrees the count is
 * the sum of each one's; no root is nothing, unrouted applications only in the whole. */
static void test_group_count_reach(void **state)
{
    struct store *st = FX(state)->st;
    struct world w;
    world(st, &w);
    int64_t su = conf_department(st, "SU", 0, conf_institution(st, "METRO"));
    mk(st, &(struct spec){ .dept = w.yol, .at = T2026 + 1, .status = ST_FORWARDED });
    mk(st, &(struct spec){ .dept = w.fen, .at = T2026 + 2, .status = ST_CLOSED });
    mk(st, &(struct spec){ .dept = w.cev, .at = T2026 + 3, .status = ST_FORWARDED });
    mk(st, &(struct spec){ .dept = w.cev, .at = T2026 + 4, .status = ST_NEW });
    mk(st, &(struct spec){ .dept = su, .at = T2026 + 5, .status = ST_FORWARDED });
    mk(st, &(struct spec){ .at = T2026 + 6, .status = ST_NEW }); /* unrouted */
    struct groups g;
    struct dept_reach fen = { .limited = true, .n = 1, .root = { w.fen } };
    struct dept_reach cev = { .limited = true, .n = 1, .root = { w.cev } };
    struct dept_reach both = { .limited = true, .n = 2, .root = { w.cev, w.fen } };
    struct dept_reach none = { .limited = true, .n = 0 };
    struct dept_reach overlap = { .limited = true, .n = 2, .root = { w.fen, w.yol } };
    assert_string_equal(groups_in(st, "department", &fen, &g), "FEN=1 FEN_YOL=1");
    assert_string_equal(groups_in(st, "department", &cev, &g), "CEV=2");
    assert_string_equal(groups_in(st, "department", &both, &g), "CEV=2 FEN=1 FEN_YOL=1");
    assert_string_equal(groups_in(st, "status", &both, &g), "closed=1 forwarded=2 new=1");
    assert_string_equal(groups_in(st, "status", &none, &g), "");
    assert_string_equal(groups_in(st, "department", &overlap, &g), "FEN=1 FEN_YOL=1");
    assert_string_equal(groups_in(st, "day", &both, &g), "20454=4");
    assert_string_equal(groups_in(st, "department", NULL, &g), "=1 CEV=2 FEN=1 FEN_YOL=1 SU=1");
    /* the list and the count take the same reach */
    int64_t n = -1;
    struct app_filter f = { .limit = 50, .reach = both };
    assert_int_equal(store_app_count(st, &f, &n), ERR_OK);
    assert_int_equal(n, 4);
    f.reach = none;
    assert_int_equal(store_app_count(st, &f, &n), ERR_OK);
    assert_int_equal(n, 0);
    f.reach = (struct dept_reach){ .limited = true, .n = 2, .root = { su, w.yol } };
    struct app *v = NULL;
    size_t len = 0;
    int64_t next = 0;
    assert_int_equal(store_app_list(st, &f, &v, &len, &next, NULL), ERR_OK);
    assert_int_equal(len, 2);
    for (size_t i = 0; i < len; i++) {
        assert_true(v[i].department_id == su || v[i].department_id == w.yol);
        app_release(&v[i]);
    }
    free(v);
}

static void test_group_count(void **state)
{
    struct store *st = FX(state)->st;
    struct world w;
    world(st, &w);
    mk(st, &(struct spec){ .dept = w.yol, .at = T2026 + 1, .status = ST_FORWARDED });
    mk(st,
       &(struct spec){ .dept = w.fen, .at = T2026 + 2, .status = ST_FORWARDED, .channel = "web" });
    mk(st, &(struct spec){ .dept = w.cev, .at = T2026 + 3, .status = ST_CLOSED });
    mk(st, &(struct spec){ .at = T2026 + 4, .status = ST_NEW, .channel = "web" });
    mk(st, &(struct spec){ .dept = w.yol, .at = T2026 + DAY, .status = ST_IN_PROGRESS });
    struct groups g;
    /* keys in order (SQLite: ORDER BY key) */
    assert_string_equal(groups(st, "status", 0, 0, 0, &g),
                        "closed=1 forwarded=2 in_progress=1 new=1");
    assert_string_equal(groups(st, "department", 0, 0, 0, &g), "=1 CEV=1 FEN=1 FEN_YOL=2");
    assert_string_equal(groups(st, "channel", 0, 0, 0, &g), "phone_153=3 web=2");
    assert_string_equal(groups(st, "status", T2026 + 2, T2026 + DAY, 0, &g),
                        "closed=1 forwarded=1 new=1");
    assert_string_equal(groups(st, "department", 0, 0, w.fen, &g), "FEN=1 FEN_YOL=2");
    assert_string_equal(groups(st, "channel", 0, T2026 + 3, w.yol, &g), "phone_153=1");
    assert_string_equal(groups(st, "status", T2026 + 2 * DAY, 0, 0, &g), "");
    assert_true(store_app_group_count(st, "nope", 0, 0, 0, group_cb, &g) < 0);
}

/* The dashboard's dims: Istanbul days, who registered and who closed, answered on time. */
static void test_dashboard_counts(void **state)
{
    struct store *st = FX(state)->st;
    struct world w;
    world(st, &w);
    int64_t ayse = conf_user(st, "ayse", ROLE_DESK, 0);
    int64_t d0 = T2026 / DAY; /* 2026-01-01; Istanbul days start at 21:00 UTC the day before */
    int64_t ist = 3 * 3600;
    /* 00:00 and 23:59:59 of 1 January in Istanbul, 00:00 of 2 January */
    int64_t a = mk(st, &(struct spec){ .dept = w.fen,
                                       .at = T2026 - ist,
                                       .by = w.user,
                                       .status = ST_RESOLVED,
                                       .due = T2026 + DAY,
                                       .responded = T2026 + DAY - 1 });
    mk(st, &(struct spec){ .dept = w.yol,
                           .at = T2026 + DAY - ist - 1,
                           .by = ayse,
                           .status = ST_CLOSED,
                           .due = T2026,
                           .responded = T2026 + DAY,
                           .closed = T2026 + 2 * DAY });
    mk(st, &(struct spec){ .dept = w.cev,
                           .at = T2026 + DAY - ist,
                           .by = w.user,
                           .status = ST_CLOSED,
                           .closed = T2026 + DAY });
    mk(st, &(struct spec){ .at = T2026 + DAY - ist + 5, .status = ST_NEW });
    /* a closing by ayse of a, by an unknown user of another */
    struct app_event e = { .app_id = a,
                           .at = T2026 + DAY,
                           .user_id = ayse,
                           .from_status = ST_RESOLVED,
                           .to_status = ST_CLOSED };
    snprintf(e.action, sizeof(e.action), "close");
    assert_int_equal(store_event_add(st, &e), ERR_OK);
    struct app_event e2 = e;
    e2.at = T2026 + 3 * DAY;
    assert_int_equal(store_event_add(st, &e2), ERR_OK); /* after the period */
    struct groups g;
    char want[128];
    int64_t from = T2026 - ist, to = T2026 + 2 * DAY - ist; /* 1 and 2 January, Istanbul */
    snprintf(want, sizeof(want), "%lld=2 %lld=2", (long long)d0, (long long)d0 + 1);
    assert_string_equal(groups(st, "day", from, to, 0, &g), want);
    /* answered: a on 1 January 23:59:59 UTC (2 January in Istanbul), b on 2 January 00:00 UTC
     * (2 January 03:00 in Istanbul), c closed without an answer on 2 January */
    snprintf(want, sizeof(want), "%lld=3", (long long)d0 + 1);
    assert_string_equal(groups(st, "resolved_day", from, to, 0, &g), want);
    assert_string_equal(groups(st, "created_by", from, to, 0, &g), "=1 ayse=1 operator=2");
    assert_string_equal(groups(st, "closed_by", from, to, 0, &g), "ayse=1");
    assert_string_equal(groups(st, "resolved_department", from, to, 0, &g),
                        "CEV=1 FEN=1 FEN_YOL=1");
    /* b was answered a day after its deadline; c has none */
    assert_string_equal(groups(st, "ontime_department", from, to, 0, &g), "CEV=1 FEN=1");
    assert_string_equal(groups(st, "ontime_department", from, to, w.fen, &g), "FEN=1");
    /* resolved as resolved_day counts them: by when they were answered (else closed), not by
     * when they were made; a and b were made on 1 January and answered on 2 January */
    assert_string_equal(groups(st, "resolved_department", from, from + DAY, 0, &g), "");
    assert_string_equal(groups(st, "ontime_department", from, from + DAY, 0, &g), "");
    assert_string_equal(groups(st, "resolved_department", from + DAY, to + DAY, 0, &g),
                        "CEV=1 FEN=1 FEN_YOL=1");
    assert_string_equal(groups(st, "created_by", from, from + DAY, w.fen, &g), "ayse=1 operator=1");
    assert_string_equal(groups(st, "closed_by", to, to + 10 * DAY, 0, &g), "ayse=1");
    /* a capped count stops past the cap */
    struct app_filter f = { .count_cap = 2 };
    int64_t n = 0;
    assert_int_equal(store_app_count(st, &f, &n), ERR_OK);
    assert_int_equal(n, 3);
    f.count_cap = 4;
    assert_int_equal(store_app_count(st, &f, &n), ERR_OK);
    assert_int_equal(n, 4);
    f.count_cap = 0;
    f.statuses = 1u << ST_CLOSED;
    assert_int_equal(store_app_count(st, &f, &n), ERR_OK);
    assert_int_equal(n, 2);
}

/* ---- repeat candidates, training, suggestions ---- */

static int pair_cb(void *ctx, const char *x, const char *y)
{
    struct groups *g = ctx;
    snprintf(g->s + strlen(g->s), sizeof(g->s) - strlen(g->s), "%s%s|%s", g->s[0] ? " " : "", x, y);
    return 0;
}

static void test_candidates_training_suggestions(void **state)
{
    struct store *st = FX(state)->st;
    struct world w;
    world(st, &w);
    int64_t a = mk(st, &(struct spec){ .cat = w.cukur, .district = w.d1, .at = T2026 + 10 });
    int64_t b =
        mk(st, &(struct spec){
                   .cat = w.cukur, .district = w.d2, .at = T2026 + 20, .status = ST_FORWARDED });
    int64_t c = mk(st, &(struct spec){ .cat = w.cukur,
                                       .district = w.d2,
                                       .at = T2026 + 30,
                                       .status = ST_IN_PROGRESS,
                                       .geo = true });
    mk(st,
       &(struct spec){ .cat = w.cukur, .district = w.d1, .at = T2026 + 40, .status = ST_RESOLVED });
    mk(st, &(struct spec){ .cat = w.cop, .district = w.d1, .at = T2026 + 50 });
    int64_t f = mk(st, &(struct spec){ .cat = w.cukur, .district = w.d1, .at = T2026 + 5 });
    struct app *v = NULL;
    size_t n = 0;
    /* open ones of the category since `since`, in the district or with coordinates, newest
     * first, at most limit */
    assert_int_equal(store_app_open_candidates(st, w.cukur, w.d1, T2026 + 6, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, c);
    assert_int_equal(v[1].id, a);
    for (size_t i = 0; i < n; i++)
        app_release(&v[i]);
    free(v);
    assert_int_equal(store_app_open_candidates(st, w.cukur, 0, 0, 10, &v, &n), ERR_OK);
    assert_int_equal(n, 4);
    assert_int_equal(v[0].id, c);
    assert_int_equal(v[1].id, b);
    assert_int_equal(v[2].id, a);
    assert_int_equal(v[3].id, f);
    for (size_t i = 0; i < n; i++)
        app_release(&v[i]);
    free(v);
    assert_int_equal(store_app_open_candidates(st, w.cukur, 0, 0, 2, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[1].id, b);
    for (size_t i = 0; i < n; i++)
        app_release(&v[i]);
    free(v);

    /* training: closed applications with a category, by id */
    struct groups g = { "" };
    mk(st, &(struct spec){
               .cat = w.cop, .at = T2026 + 60, .status = ST_CLOSED, .text = "çöp alınmadı" });
    mk(st, &(struct spec){ .at = T2026 + 70, .status = ST_CLOSED, .text = "kategorisiz" });
    mk(st, &(struct spec){
               .cat = w.cukur, .at = T2026 + 80, .status = ST_CLOSED, .text = "çukur kapandı" });
    assert_int_equal(store_app_training_each(st, pair_cb, &g), ERR_OK);
    assert_string_equal(g.s, "çöp alınmadı|CEV_COP çukur kapandı|FEN_YOL_CUKUR");
    /* suggestions: those created in [from, to) that carry one; final "" when unrouted */
    assert_int_equal(store_app_set_suggestion(st, a, "FEN_YOL_CUKUR", 0.9, false, NULL), ERR_OK);
    assert_int_equal(store_app_set_suggestion(st, b, "CEV_COP", 0.4, true, "yangın"), ERR_OK);
    assert_int_equal(store_app_set_suggestion(st, b, "FEN_YOL_CUKUR", 0.5, false, ""), ERR_OK);
    int64_t u = mk(st, &(struct spec){ .at = T2026 + 90 });
    assert_int_equal(store_app_set_suggestion(st, u, "CEV_COP", 0.3, false, NULL), ERR_OK);
    g.s[0] = '\0';
    assert_int_equal(store_app_suggestion_each(st, 0, 0, pair_cb, &g), ERR_OK);
    assert_string_equal(g.s, "FEN_YOL_CUKUR|FEN_YOL_CUKUR FEN_YOL_CUKUR|FEN_YOL_CUKUR CEV_COP|");
    g.s[0] = '\0';
    assert_int_equal(store_app_suggestion_each(st, T2026 + 11, T2026 + 90, pair_cb, &g), ERR_OK);
    assert_string_equal(g.s, "FEN_YOL_CUKUR|FEN_YOL_CUKUR");
    assert_true(store_app_set_suggestion(st, 9999, "X", 0.1, false, NULL) < 0);
}

/* ---- full-text search ---- */

static void test_search(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a =
        mk(st, &(struct spec){ .at = T2026 + 1, .text = "Kayseri'de yollarda çukurlar var" });
    int64_t b =
        mk(st, &(struct spec){
                   .at = T2026 + 2, .text = "Çöp konteyneri taşmış", .address = "Talas Caddesi" });
    int64_t c = mk(st, &(struct spec){ .at = T2026 + 3, .text = "KAYSERİ merkezde çukur" });
    int64_t d = mk(st, &(struct spec){ .at = T2026 + 4, .text = "Sokak lambası yanmıyor" });
    struct app_filter f = { .limit = 50 };
    f.q = "çukur";
    EXPECT(f, c, a); /* "çukurlar" by its stem */
    f.q = "çukurlar";
    EXPECT(f, c, a);
    f.q = "Kayseri'de"; /* the case ending after the apostrophe is no word */
    EXPECT(f, c, a);
    f.q = "Kayseri’de çukur"; /* U+2019, and every word must match */
    EXPECT(f, c, a);
    f.q = "kayseri lamba";
    EXPECT_NONE(f);
    f.q = "cop"; /* folded */
    EXPECT(f, b);
    f.q = "talas"; /* the address is searched too */
    EXPECT(f, b);
    f.q = "lambası";
    EXPECT(f, d);
    f.q = "   "; /* no words: no filter */
    EXPECT(f, d, c, b, a);
    f.q = "çukur";
    f.statuses = 1u << ST_NEW;
    f.limit = 1;
    EXPECT(f, c, a); /* with paging and another filter */
    /* a closed match: the filtered search's page and count leave it out (SQLite counts a
     * search without other conditions on the full-text index alone: not this one) */
    int64_t e =
        mk(st, &(struct spec){ .at = T2026 + 5, .status = ST_CLOSED, .text = "Bir çukur daha" });
    f.limit = 50;
    EXPECT(f, c, a);
    f.statuses = 0;
    EXPECT(f, e, c, a);
    f.count_cap = 2;
    assert_int_equal(count(st, &f), 3); /* a capped count stops one past the cap */
    f.count_cap = 0;
    /* an update is searchable under its new text */
    struct app g;
    assert_int_equal(store_app_get(st, d, &g), ERR_OK);
    free(g.text);
    g.text = strdup("Kaldırım çökmüş");
    assert_int_equal(store_app_update(st, &g), ERR_OK);
    app_release(&g);
    f = (struct app_filter){ .limit = 50, .q = "lamba" };
    EXPECT_NONE(f);
    f.q = "kaldırım";
    EXPECT(f, d);
}

/* The index follows the transaction: a rolled-back savepoint leaves no text in it, a commit
 * all of it; a search inside the transaction sees what was written before it; text changed
 * twice in one transaction is found under the last words only. The fill rows (text no search
 * below matches) make the transactions long, as a simulated day's are. */
static void fill(struct store *st, int n)
{
    for (int i = 0; i < n; i++)
        mk(st, &(struct spec){ .at = T2026, .text = "Dolgu" });
}

static void test_search_transactions(void **state)
{
    struct store *st = FX(state)->st;
    struct app_filter f = { .limit = 50 };
    int64_t a = mk(st, &(struct spec){ .at = T2026 + 1, .text = "Parkta salıncak kırık" });
    assert_int_equal(store_begin(st), ERR_OK);
    fill(st, 40);
    int64_t b = mk(st, &(struct spec){ .at = T2026 + 2, .text = "Kaldırımda çukur var" });
    assert_int_equal(store_begin(st), ERR_OK);
    int64_t c = mk(st, &(struct spec){ .at = T2026 + 3, .text = "Köprü altında su baskını" });
    f.q = "köprü";
    EXPECT(f, c); /* inside the transaction, right after the write */
    store_rollback(st);
    EXPECT_NONE(f);
    f.q = "çukur";
    EXPECT(f, b);
    /* the same application changed twice before the commit */
    assert_int_equal(store_begin(st), ERR_OK);
    fill(st, 40);
    struct app g;
    assert_int_equal(store_app_get(st, a, &g), ERR_OK);
    free(g.text);
    g.text = strdup("Ağaç devrilmiş");
    assert_int_equal(store_app_update(st, &g), ERR_OK);
    free(g.text);
    g.text = strdup("Otobüs durağı kırık");
    assert_int_equal(store_app_update(st, &g), ERR_OK);
    app_release(&g);
    int64_t d = mk(st, &(struct spec){ .at = T2026 + 4, .text = "Çöp kutusu devrilmiş" });
    assert_int_equal(store_commit(st), ERR_OK);
    assert_int_equal(store_commit(st), ERR_OK);
    f.q = "çöp";
    EXPECT(f, d);
    f.q = "köprü";
    EXPECT_NONE(f);
    f.q = "çukur";
    EXPECT(f, b);
    f.q = "salıncak";
    EXPECT_NONE(f);
    f.q = "ağaç";
    EXPECT_NONE(f);
    f.q = "kırık";
    EXPECT(f, a);
    f.q = "otobüs";
    EXPECT(f, a);
    /* a whole transaction rolled back: neither its new row nor its text change is searchable,
     * and the old text still is */
    assert_int_equal(store_begin(st), ERR_OK);
    assert_int_equal(store_begin(st), ERR_OK);
    fill(st, 40);
    mk(st, &(struct spec){ .at = T2026 + 5, .text = "Çeşmeden su akmıyor" });
    assert_int_equal(store_app_get(st, b, &g), ERR_OK);
    free(g.text);
    g.text = strdup("Tabela düşmüş");
    assert_int_equal(store_app_update(st, &g), ERR_OK);
    app_release(&g);
    assert_int_equal(store_commit(st), ERR_OK);
    store_rollback(st);
    f.q = "çeşme";
    EXPECT_NONE(f);
    f.q = "tabela";
    EXPECT_NONE(f);
    f.q = "çukur";
    EXPECT(f, b);
    /* a single create after them is indexed too */
    int64_t e = mk(st, &(struct spec){ .at = T2026 + 6, .text = "Trafik ışığı arızalı" });
    f.q = "trafik";
    EXPECT(f, e);
    int ok = conf_fts_consistent(&FX(state)->db);
    if (ok >= 0)
        assert_int_equal(ok, 1);
}

/* ---- events, links, attachments ---- */

static void test_events(void **state)
{
    struct store *st = FX(state)->st;
    int64_t u = conf_user(st, "mehmet", ROLE_STAFF, 0);
    int64_t a = mk(st, &(struct spec){ .at = T2026 });
    int64_t b = mk(st, &(struct spec){ .at = T2026 + 1 });
    struct app_event e1 = {
        .app_id = a, .at = T2026, .from_status = -1, .to_status = ST_NEW, .public = true
    };
    snprintf(e1.action, sizeof(e1.action), "create");
    assert_int_equal(store_event_add(st, &e1), ERR_OK);
    assert_true(e1.id > 0);
    struct app_event e2 = { .app_id = a,
                            .at = T2026 + 5,
                            .user_id = u,
                            .from_status = -1,
                            .to_status = -1,
                            .note = "iç not",
                            .public = false };
    snprintf(e2.action, sizeof(e2.action), "note");
    assert_int_equal(store_event_add(st, &e2), ERR_OK);
    struct app_event e3 = { .app_id = a,
                            .at = T2026 + 9,
                            .user_id = u,
                            .from_status = ST_NEW,
                            .to_status = ST_FORWARDED,
                            .note = "FEN",
                            .public = true };
    snprintf(e3.action, sizeof(e3.action), "route");
    assert_int_equal(store_event_add(st, &e3), ERR_OK);
    struct app_event eb = { .app_id = b, .at = T2026, .from_status = -1, .to_status = -1 };
    snprintf(eb.action, sizeof(eb.action), "create");
    assert_int_equal(store_event_add(st, &eb), ERR_OK);
    struct app_event *v = NULL;
    size_t n = 0;
    assert_int_equal(store_event_list(st, a, false, &v, &n), ERR_OK);
    assert_int_equal(n, 3); /* oldest first */
    assert_int_equal(v[0].id, e1.id);
    assert_string_equal(v[0].action, "create");
    assert_int_equal(v[0].from_status, -1);
    assert_int_equal(v[0].to_status, ST_NEW);
    assert_int_equal(v[0].user_id, 0);
    assert_null(v[0].note);
    assert_true(v[0].public);
    assert_string_equal(v[1].note, "iç not");
    assert_false(v[1].public);
    assert_int_equal(v[1].user_id, u);
    assert_string_equal(v[1].user_name, "mehmet Yılmaz");
    assert_int_equal(v[2].from_status, ST_NEW);
    assert_int_equal(v[2].to_status, ST_FORWARDED);
    assert_int_equal(v[2].at, T2026 + 9);
    assert_int_equal(v[2].app_id, a);
    for (size_t i = 0; i < n; i++)
        app_event_release(&v[i]);
    free(v);
    assert_int_equal(store_event_list(st, a, true, &v, &n), ERR_OK);
    assert_int_equal(n, 2); /* public only */
    assert_int_equal(v[0].id, e1.id);
    assert_int_equal(v[1].id, e3.id);
    for (size_t i = 0; i < n; i++)
        app_event_release(&v[i]);
    free(v);
    assert_int_equal(store_event_list(st, 9999, false, &v, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(v);
}

static int link_cb(void *ctx, int64_t other, const char *tracking, const char *kind)
{
    struct groups *g = ctx;
    snprintf(g->s + strlen(g->s), sizeof(g->s) - strlen(g->s), "%s%lld:%s:%s", g->s[0] ? " " : "",
             (long long)other, tracking, kind);
    return 0;
}

static void test_links(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a = mk(st, &(struct spec){ .at = T2026 });
    int64_t b = mk(st, &(struct spec){ .at = T2026 + 1 });
    int64_t c = mk(st, &(struct spec){ .at = T2026 + 2 });
    assert_int_equal(store_link_add(st, b, a, "duplicate"), ERR_OK);
    assert_int_equal(store_link_add(st, c, a, "related"), ERR_OK);
    assert_int_equal(store_link_add(st, c, a, "duplicate"), ERR_OK); /* again: kind replaced */
    struct groups g = { "" };
    char want[256];
    /* both directions, by the other's id */
    assert_int_equal(store_link_each(st, a, link_cb, &g), ERR_OK);
    snprintf(want, sizeof(want), "%lld:2026-000002:duplicate %lld:2026-000003:duplicate",
             (long long)b, (long long)c);
    assert_string_equal(g.s, want);
    g.s[0] = '\0';
    assert_int_equal(store_link_each(st, b, link_cb, &g), ERR_OK);
    snprintf(want, sizeof(want), "%lld:2026-000001:duplicate", (long long)a);
    assert_string_equal(g.s, want);
    g.s[0] = '\0';
    assert_int_equal(store_link_each(st, 9999, link_cb, &g), ERR_OK);
    assert_string_equal(g.s, "");
    assert_true(store_link_add(st, a, 9999, "related") < 0); /* to a missing application */
}

static void test_attachments(void **state)
{
    struct store *st = FX(state)->st;
    int64_t a = mk(st, &(struct spec){ .at = T2026 });
    int64_t b = mk(st, &(struct spec){ .at = T2026 + 1 });
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0binary";
    struct attachment t1 = { .app_id = a, .created_at = T2026 + 5 };
    snprintf(t1.mime, sizeof(t1.mime), "image/png");
    snprintf(t1.filename, sizeof(t1.filename), "çukur.png");
    assert_int_equal(store_attachment_add(st, &t1, png, sizeof(png)), ERR_OK);
    assert_true(t1.id > 0);
    assert_int_equal(strlen(t1.hash), 64);
    assert_int_equal(t1.size, (int64_t)sizeof(png));
    struct attachment t2 = t1; /* same content on another application */
    t2.app_id = b;
    t2.id = 0;
    assert_int_equal(store_attachment_add(st, &t2, png, sizeof(png)), ERR_OK);
    assert_string_equal(t2.hash, t1.hash);
    assert_true(t2.id != t1.id);
    struct attachment t3 = { .app_id = a, .created_at = T2026 + 6 };
    snprintf(t3.mime, sizeof(t3.mime), "application/pdf");
    snprintf(t3.filename, sizeof(t3.filename), "dilekçe.pdf");
    assert_int_equal(store_attachment_add(st, &t3, "%PDF", 4), ERR_OK);
    assert_string_not_equal(t3.hash, t1.hash);
    struct attachment *v = NULL;
    size_t n = 0;
    assert_int_equal(store_attachment_list(st, a, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, t1.id);
    assert_string_equal(v[0].filename, "çukur.png");
    assert_string_equal(v[0].mime, "image/png");
    assert_int_equal(v[0].size, (int64_t)sizeof(png));
    assert_int_equal(v[0].created_at, T2026 + 5);
    assert_string_equal(v[1].filename, "dilekçe.pdf");
    assert_int_equal(v[1].size, 4);
    free(v);
    struct attachment meta;
    void *data = NULL;
    size_t len = 0;
    assert_int_equal(store_attachment_get(st, b, t2.id, &meta, &data, &len), ERR_OK);
    assert_int_equal(len, sizeof(png));
    assert_memory_equal(data, png, sizeof(png));
    assert_string_equal(meta.hash, t1.hash);
    assert_int_equal(meta.app_id, b);
    free(data);
    /* only an attachment of that application */
    assert_int_equal(store_attachment_get(st, b, t1.id, &meta, &data, &len), ERR_NOT_FOUND);
    assert_int_equal(store_attachment_get(st, a, 9999, &meta, &data, &len), ERR_NOT_FOUND);
    assert_int_equal(store_attachment_list(st, 9999, &v, &n), ERR_OK);
    assert_int_equal(n, 0);
    free(v);
    /* an empty file */
    struct attachment t4 = { .app_id = b, .created_at = T2026 + 7 };
    snprintf(t4.mime, sizeof(t4.mime), "text/plain");
    snprintf(t4.filename, sizeof(t4.filename), "bos.txt");
    assert_int_equal(store_attachment_add(st, &t4, "", 0), ERR_OK);
    assert_int_equal(store_attachment_get(st, b, t4.id, &meta, &data, &len), ERR_OK);
    assert_int_equal(len, 0);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_create_get_update),
        CONF_TEST(test_tracking_numbers),
        CONF_TEST(test_list_filters),
        CONF_TEST(test_list_paging),
        CONF_TEST(test_list_due_and_search_paging),
        CONF_TEST(test_group_count),
        CONF_TEST(test_group_count_reach),
        CONF_TEST(test_dashboard_counts),
        CONF_TEST(test_candidates_training_suggestions),
        CONF_TEST(test_search),
        CONF_TEST(test_search_transactions),
        CONF_TEST(test_events),
        CONF_TEST(test_links),
        CONF_TEST(test_attachments),
    };
    return cmocka_run_group_tests_name("store_apps", tests, NULL, NULL);
}
