/* Conformance (issue 16): an attachment's stage, pixel size, capture time and place survive the
 * round trip (NULL stays NULL); a category's proof_required flag; idempotency keys claimed,
 * finished, replayed, dropped and taken over when stale. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util/str.h"

#define T2026 1767225600 /* 2026-01-01T00:00:00Z */

static void test_photo_fields(void **state)
{
    struct store *st = FX(state)->st;
    int64_t inst = conf_institution(st, "METRO");
    int64_t fen = conf_department(st, "FEN", 0, inst);
    int64_t cat = conf_category(st, "FEN_YOL_CUKUR", fen, "Yol çukuru", "çukur");
    int64_t a = conf_app(st, cat, fen, "Çukur var", T2026, NULL);
    struct attachment p = { .app_id = a,
                            .created_at = T2026 + 5,
                            .width = 4032,
                            .height = 3024,
                            .taken_at = T2026 - 600,
                            .has_geo = true,
                            .lat = 38.7205123,
                            .lon = -35.4826987 };
    str_copy(p.mime, sizeof(p.mime), "image/jpeg");
    str_copy(p.filename, sizeof(p.filename), "sonra.jpg");
    str_copy(p.stage, sizeof(p.stage), "after");
    str_copy(p.geo_source, sizeof(p.geo_source), "exif");
    assert_int_equal(store_attachment_add(st, &p, "\xFF\xD8\xFFjpeg", 7), ERR_OK);
    struct attachment q = { .app_id = a, .created_at = T2026 + 6 };
    str_copy(q.mime, sizeof(q.mime), "application/pdf");
    str_copy(q.filename, sizeof(q.filename), "tutanak.pdf");
    assert_int_equal(store_attachment_add(st, &q, "%PDF", 4), ERR_OK);
    struct attachment *v = NULL;
    size_t n = 0;
    assert_int_equal(store_attachment_list(st, a, &v, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].stage, "after");
    assert_int_equal(v[0].width, 4032);
    assert_int_equal(v[0].height, 3024);
    assert_int_equal(v[0].taken_at, T2026 - 600);
    assert_true(v[0].has_geo);
    assert_true(v[0].lat > 38.72051 && v[0].lat < 38.72052);
    assert_true(v[0].lon < -35.48269 && v[0].lon > -35.48270);
    assert_string_equal(v[0].geo_source, "exif");
    assert_string_equal(v[1].stage, "");
    assert_int_equal(v[1].width, 0);
    assert_int_equal(v[1].taken_at, 0);
    assert_false(v[1].has_geo);
    assert_string_equal(v[1].geo_source, "");
    free(v);
    struct attachment meta;
    void *data = NULL;
    size_t len = 0;
    assert_int_equal(store_attachment_get(st, a, p.id, &meta, &data, &len), ERR_OK);
    assert_string_equal(meta.stage, "after");
    assert_int_equal(meta.taken_at, T2026 - 600);
    assert_true(meta.has_geo);
    assert_int_equal(len, 7);
    free(data);
    /* the stage is one of three */
    struct attachment bad = p;
    bad.id = 0;
    str_copy(bad.stage, sizeof(bad.stage), "during");
    assert_int_not_equal(store_attachment_add(st, &bad, "x", 1), ERR_OK);
}

static void test_category_proof(void **state)
{
    struct store *st = FX(state)->st;
    int64_t inst = conf_institution(st, "METRO");
    int64_t fen = conf_department(st, "FEN", 0, inst);
    int64_t id = conf_category(st, "FEN_YOL_CUKUR", fen, "Yol çukuru", "çukur");
    struct category c;
    assert_int_equal(store_category_get(st, id, &c), ERR_OK);
    assert_false(c.proof_required);
    c.proof_required = true;
    assert_int_equal(store_category_upsert(st, &c, NULL), ERR_OK);
    struct category d;
    assert_int_equal(store_category_by_code(st, "FEN_YOL_CUKUR", &d), ERR_OK);
    assert_true(d.proof_required);
    struct category *all = NULL;
    size_t n = 0;
    assert_int_equal(store_category_list(st, NULL, &all, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_true(all[0].proof_required);
    free(all);
    d.proof_required = false;
    assert_int_equal(store_category_upsert(st, &d, NULL), ERR_OK);
    assert_int_equal(store_category_get(st, id, &c), ERR_OK);
    assert_false(c.proof_required);
}

static void test_idempotency(void **state)
{
    struct store *st = FX(state)->st;
    int s = -1, status = -1;
    char *body = NULL;
    /* claimed, then the same key is running */
    assert_int_equal(store_idem_claim(st, 7, "k-1", 1000, 880, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 0);
    assert_null(body);
    assert_int_equal(store_idem_claim(st, 7, "k-1", 1001, 881, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 2);
    assert_null(body);
    /* another user's key of the same name is theirs */
    assert_int_equal(store_idem_claim(st, 8, "k-1", 1001, 881, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 0);
    /* finished: replayed with its answer, however late */
    assert_int_equal(store_idem_finish(st, 7, "k-1", 201, "{\"id\":5}"), ERR_OK);
    assert_int_equal(store_idem_claim(st, 7, "k-1", 99999, 99000, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 1);
    assert_int_equal(status, 201);
    assert_string_equal(body, "{\"id\":5}");
    free(body);
    body = NULL;
    /* dropped (a 5xx): it may be claimed again at once */
    assert_int_equal(store_idem_finish(st, 8, "k-1", 503, NULL), ERR_OK);
    assert_int_equal(store_idem_claim(st, 8, "k-1", 1002, 882, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 0);
    /* a pending claim older than stale_before is taken over; a fresh one is not */
    assert_int_equal(store_idem_claim(st, 8, "k-1", 1003, 1002, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 2);
    assert_int_equal(store_idem_claim(st, 8, "k-1", 1200, 1080, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 0);
    /* dropping never removes a finished answer */
    assert_int_equal(store_idem_finish(st, 7, "k-1", 500, NULL), ERR_OK);
    assert_int_equal(store_idem_claim(st, 7, "k-1", 1300, 1180, &s, &status, &body), ERR_OK);
    assert_int_equal(s, 1);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(test_photo_fields),
        CONF_TEST(test_category_proof),
        CONF_TEST(test_idempotency),
    };
    return cmocka_run_group_tests_name("store_photos", tests, NULL, NULL);
}
