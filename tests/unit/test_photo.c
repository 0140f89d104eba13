/* core/photo: type sniffing, pixel size, EXIF time and GPS (libexif), metadata stripping, and
 * every cut and damaged copy of a photo parsed without reading past its end. Fixtures:
 * tests/unit/fixtures/photo (gen.sh). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/photo.h"
#include "util/banned.h"

#define DIR "tests/unit/fixtures/photo/"

static unsigned char *load(const char *name, size_t *n)
{
    FILE *f = fopen(name, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static bool contains(const void *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp((const char *)hay + i, needle, k) == 0)
            return true;
    return false;
}

static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *file, *mime;
    } cases[] = {
        { DIR "gps.jpg", "image/jpeg" },
        { DIR "noexif.jpg", "image/jpeg" },
        { DIR "plain.png", "image/png" },
        { DIR "plain.webp", "image/webp" },
        { DIR "photo.heic", "image/heic" },
        { DIR "text.jpg", NULL },
        { DIR "pdf.jpg", NULL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n;
        unsigned char *b = load(cases[i].file, &n);
        const char *m = photo_sniff(b, n);
        if (cases[i].mime)
            assert_string_equal(m, cases[i].mime);
        else
            assert_null(m);
        free(b);
    }
    assert_null(photo_sniff("\x89PNG\r\n\x1a", 7));
    assert_null(photo_sniff("\xFF\xD8", 2));
    assert_null(photo_sniff(NULL, 0));
}

static void test_jpeg_exif(void **state)
{
    (void)state;
    size_t n;
    struct photo_info pi;
    unsigned char *b = load(DIR "gps.jpg", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_OK);
    assert_string_equal(pi.mime, "image/jpeg");
    assert_int_equal(pi.width, 64);
    assert_int_equal(pi.height, 48);
    assert_int_equal(pi.orientation, 6);
    /* 2026-03-14 09:26:53 in Turkey (UTC+3, no zone in the file) */
    assert_int_equal(pi.taken_at, 1773469613 + 0 - 0);
    assert_true(pi.has_gps);
    assert_true(fabs(pi.lat - 38.7205) < 1e-4);
    assert_true(fabs(pi.lon - 35.4826) < 1e-4);
    free(b);

    b = load(DIR "offset.jpg", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_OK);
    assert_int_equal(pi.taken_at, 1773469613 + 2 * 3600); /* written at UTC+1 */
    assert_true(pi.has_gps);
    assert_true(fabs(pi.lat + 33.5) < 1e-6);
    assert_true(fabs(pi.lon + 70.25) < 1e-6);
    assert_int_equal(pi.orientation, 1);
    free(b);

    b = load(DIR "noexif.jpg", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_OK);
    assert_int_equal(pi.width, 64);
    assert_int_equal(pi.taken_at, 0);
    assert_false(pi.has_gps);
    free(b);
}

static void test_png_webp(void **state)
{
    (void)state;
    size_t n;
    struct photo_info pi;
    unsigned char *b = load(DIR "gps.png", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_OK);
    assert_string_equal(pi.mime, "image/png");
    assert_int_equal(pi.width, 6);
    assert_int_equal(pi.height, 4);
    assert_int_equal(pi.taken_at, 1767214799); /* 2025-12-31 23:59:59 +03:00 */
    assert_true(pi.has_gps);
    assert_true(fabs(pi.lat - 41.0) < 1e-6 && fabs(pi.lon - 29.0) < 1e-6);
    free(b);
    b = load(DIR "meta.webp", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_OK);
    assert_string_equal(pi.mime, "image/webp");
    assert_int_equal(pi.width, 1);
    assert_int_equal(pi.height, 1);
    free(b);
    b = load(DIR "plain.webp", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_OK);
    assert_int_equal(pi.width, 1);
    free(b);
}

static void test_refused(void **state)
{
    (void)state;
    size_t n;
    struct photo_info pi;
    unsigned char *b = load(DIR "huge.jpg", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_TOO_LARGE);
    assert_int_equal(pi.width, 13000);
    free(b);
    b = load(DIR "huge.png", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_TOO_LARGE);
    assert_int_equal(pi.width, 20000);
    assert_int_equal(pi.height, 20000);
    free(b);
    b = load(DIR "cut.jpg", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_CORRUPT);
    free(b);
    b = load(DIR "photo.heic", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_HEIC);
    free(b);
    b = load(DIR "text.jpg", &n);
    assert_int_equal(photo_inspect(b, n, &pi), PHOTO_NOT_IMAGE);
    void *o = (void *)1;
    size_t on = 7;
    assert_int_equal(photo_strip(b, n, &o, &on), PHOTO_NOT_IMAGE);
    assert_null(o);
    assert_int_equal(on, 0);
    free(b);
    /* the pixel limit is the product too: 8000 x 8000 is 64 MP */
    unsigned char png[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,    13,
                              'I',  'H', 'D', 'R', 0,    0,    0x1f, 0x40, 0, 0, 0x1f, 0x40 };
    assert_int_equal(photo_inspect(png, sizeof(png), &pi), PHOTO_TOO_LARGE);
    png[18] = 0x17; /* 6000 x 8000 = 48 MP */
    png[19] = 0x70;
    assert_int_equal(photo_inspect(png, sizeof(png), &pi), PHOTO_OK);
    assert_int_equal(pi.width, 6000);
}

static void test_strip_jpeg(void **state)
{
    (void)state;
    size_t n, on;
    void *o;
    struct photo_info pi;
    unsigned char *b = load(DIR "gps.jpg", &n);
    assert_true(contains(b, n, "TestPhone") && contains(b, n, "gizli yorum"));
    assert_int_equal(photo_strip(b, n, &o, &on), PHOTO_OK);
    assert_true(on < n);
    static const char *const gone[] = { "TestPhone",
                                        "Saha-1",
                                        "gizli yorum",
                                        "Ay\xc5\x9f"
                                        "e",
                                        "xmp",
                                        "2026:03:14" };
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
        assert_false(contains(o, on, gone[i]));
    assert_int_equal(photo_inspect(o, on, &pi), PHOTO_OK);
    assert_int_equal(pi.width, 64);
    assert_int_equal(pi.height, 48);
    assert_int_equal(pi.orientation, 6); /* still upright */
    assert_int_equal(pi.taken_at, 0);
    assert_false(pi.has_gps);
    /* the image itself is untouched: the last 600 bytes (scan data and EOI) are the same */
    assert_memory_equal((unsigned char *)o + on - 600, b + n - 600, 600);
    free(o);
    free(b);
    /* a JPEG with nothing to strip comes back byte for byte */
    b = load(DIR "noexif.jpg", &n);
    assert_int_equal(photo_strip(b, n, &o, &on), PHOTO_OK);
    assert_int_equal(on, n);
    assert_memory_equal(o, b, n);
    free(o);
    free(b);
}

static void test_strip_png_webp(void **state)
{
    (void)state;
    size_t n, pn, on;
    void *o;
    struct photo_info pi;
    unsigned char *b = load(DIR "gps.png", &n);
    unsigned char *plain = load(DIR "plain.png", &pn);
    assert_int_equal(photo_strip(b, n, &o, &on), PHOTO_OK);
    assert_false(contains(o, on, "Ali Veli") || contains(o, on, "eXIf") ||
                 contains(o, on, "png yorum"));
    assert_int_equal(photo_inspect(o, on, &pi), PHOTO_OK);
    assert_false(pi.has_gps);
    assert_int_equal(on, pn); /* what is left is the plain image */
    assert_memory_equal(o, plain, pn);
    free(o);
    free(plain);
    free(b);

    b = load(DIR "meta.webp", &n);
    assert_true(contains(b, n, "EXIF") && contains(b, n, "Ali"));
    assert_int_equal(photo_strip(b, n, &o, &on), PHOTO_OK);
    const unsigned char *w = o;
    assert_false(contains(o, on, "EXIF") || contains(o, on, "XMP ") || contains(o, on, "Ali"));
    assert_int_equal(w[4] | w[5] << 8 | w[6] << 16 | (unsigned)w[7] << 24, on - 8);
    assert_memory_equal(w + 12, "VP8X", 4);
    assert_int_equal(w[20] & 0x0C, 0); /* no EXIF or XMP flag */
    assert_int_equal(photo_inspect(o, on, &pi), PHOTO_OK);
    free(o);
    free(b);
}

/* Every prefix and many damaged copies: no read past the end (ASan), a bounded result. */
static void test_damaged(void **state)
{
    (void)state;
    static const char *const files[] = { DIR "gps.jpg", DIR "gps.png", DIR "meta.webp",
                                         DIR "offset.jpg" };
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        size_t n;
        unsigned char *b = load(files[f], &n);
        for (size_t k = 0; k <= n; k++) {
            unsigned char *cut = malloc(k ? k : 1);
            memcpy(cut, b, k);
            struct photo_info pi;
            void *o;
            size_t on;
            photo_inspect(cut, k, &pi);
            if (photo_strip(cut, k, &o, &on) == PHOTO_OK) {
                assert_true(on <= k + 64);
                free(o);
            }
            free(cut);
        }
        uint32_t seed = 12345;
        for (int round = 0; round < 400; round++) {
            unsigned char *bad = malloc(n);
            memcpy(bad, b, n);
            for (int j = 0; j < 4; j++) {
                seed = seed * 1103515245u + 12345u;
                bad[(seed >> 8) % n] = (unsigned char)(seed >> 3);
            }
            struct photo_info pi;
            void *o;
            size_t on;
            photo_inspect(bad, n, &pi);
            if (photo_strip(bad, n, &o, &on) == PHOTO_OK) {
                assert_true(on <= n + 64);
                free(o);
            }
            free(bad);
        }
        free(b);
    }
}

static void test_exif_time(void **state)
{
    (void)state;
    int64_t t = -1;
    assert_true(photo_exif_time("2026:03:14 09:26:53", 19, 3 * 3600, &t));
    assert_int_equal(t, 1773469613);
    assert_true(photo_exif_time("2026:03:14 09:26:53\0", 20, 0, &t));
    assert_int_equal(t, 1773469613 + 3 * 3600);
    static const char *const bad[] = { "0000:00:00 00:00:00", "2026:13:01 00:00:00",
                                       "2026:02:30 10:00:00", "2026-03-14 09:26:53",
                                       "2026:03:14 24:00:00", "1989:12:31 23:59:59",
                                       "2026:03:14 09:26",    "    :  :     :  :  " };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(photo_exif_time(bad[i], strlen(bad[i]), 0, &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),      cmocka_unit_test(test_jpeg_exif),
        cmocka_unit_test(test_png_webp),   cmocka_unit_test(test_refused),
        cmocka_unit_test(test_strip_jpeg), cmocka_unit_test(test_strip_png_webp),
        cmocka_unit_test(test_damaged),    cmocka_unit_test(test_exif_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
