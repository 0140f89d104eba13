/* T.C. numbers at rest (util/tccrypt.h, KVKK issue 12): a sealed number opens with its key and
 * with no other, a changed byte is refused, equal numbers seal differently (random nonce) but
 * hash the same under one key and differently under another, and the key file is made 0600,
 * never overwritten, and refused when others may read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "util/tccrypt.h"

static const unsigned char K1[TCCRYPT_KEY_BYTES] = { 1, 2, 3 };
static const unsigned char K2[TCCRYPT_KEY_BYTES] = { 9, 8, 7 };

static void round_trip(void **state)
{
    (void)state;
    char sealed[TCCRYPT_SEALED_LEN], again[TCCRYPT_SEALED_LEN], out[16];
    tccrypt_key_set(K1);
    assert_true(tccrypt_seal("10000000146", sealed));
    assert_true(tccrypt_is_sealed(sealed));
    assert_null(strstr(sealed, "10000000146"));
    assert_true(tccrypt_open(sealed, out, sizeof(out)));
    assert_string_equal(out, "10000000146");
    /* a random nonce: the same number seals differently, and both open */
    assert_true(tccrypt_seal("10000000146", again));
    assert_string_not_equal(sealed, again);
    assert_true(tccrypt_open(again, out, sizeof(out)));
    assert_string_equal(out, "10000000146");
    assert_false(tccrypt_is_sealed("10000000146"));
    assert_false(tccrypt_seal("123456789012", sealed)); /* longer than a T.C. number */
}

static void wrong_key_fails(void **state)
{
    (void)state;
    char sealed[TCCRYPT_SEALED_LEN], out[16] = "x";
    tccrypt_key_set(K1);
    assert_true(tccrypt_seal("10000000146", sealed));
    tccrypt_key_set(K2);
    assert_false(tccrypt_open(sealed, out, sizeof(out)));
    assert_string_equal(out, "");
    tccrypt_key_set(K1);
    /* one changed character of the box is refused */
    size_t n = strlen(sealed);
    sealed[n - 2] = sealed[n - 2] == 'A' ? 'B' : 'A';
    assert_false(tccrypt_open(sealed, out, sizeof(out)));
    tccrypt_key_set(NULL);
    assert_false(tccrypt_have_key());
    assert_false(tccrypt_seal("10000000146", sealed));
}

static void hash_stable(void **state)
{
    (void)state;
    char h1[TCCRYPT_HASH_LEN], h2[TCCRYPT_HASH_LEN], h3[TCCRYPT_HASH_LEN], h4[TCCRYPT_HASH_LEN];
    tccrypt_key_set(K1);
    assert_true(tccrypt_hash("10000000146", h1));
    assert_true(tccrypt_hash("10000000146", h2));
    assert_string_equal(h1, h2);
    assert_int_equal(strlen(h1), 64);
    assert_true(tccrypt_hash("10000000078", h3));
    assert_string_not_equal(h1, h3);
    tccrypt_key_set(K2);
    assert_true(tccrypt_hash("10000000146", h4));
    assert_string_not_equal(h1, h4); /* keyed: the database alone does not reveal the number */
    tccrypt_key_set(NULL);
    assert_false(tccrypt_hash("10000000146", h4));
}

static void key_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/alo153-tccrypt-XXXXXX", path[256], err[512], sealed[TCCRYPT_SEALED_LEN],
         out[16];
    struct stat sb;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/k", dir);
    assert_true(tccrypt_key_create(path, err, sizeof(err)));
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_false(tccrypt_key_create(path, err, sizeof(err))); /* never overwritten */
    assert_non_null(strstr(err, "exists"));
    assert_true(tccrypt_key_load(path, err, sizeof(err)));
    assert_true(tccrypt_seal("10000000146", sealed));
    tccrypt_key_set(NULL);
    assert_true(tccrypt_key_load(path, err, sizeof(err))); /* the same key again */
    assert_true(tccrypt_open(sealed, out, sizeof(out)));
    assert_string_equal(out, "10000000146");
    chmod(path, 0644);
    tccrypt_key_set(NULL);
    assert_false(tccrypt_key_load(path, err, sizeof(err)));
    assert_non_null(strstr(err, "chmod 600"));
    unlink(path);
    rmdir(dir);
}

/* A key's id names it (stable, different per key, reveals no key byte); a key read into an
 * object seals and opens apart from the process's key (what rotation uses). */
static void key_objects(void **state)
{
    (void)state;
    char dir[] = "/tmp/alo153-tckey-XXXXXX", path[256], err[512], sealed[TCCRYPT_SEALED_LEN],
         out[16], h1[TCCRYPT_HASH_LEN], h2[TCCRYPT_HASH_LEN], id1[TCCRYPT_ID_LEN];
    struct tccrypt_key k;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/k", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "0102030000000000000000000000000000000000000000000000000000000000\n");
    fclose(f);
    chmod(path, 0600);
    tccrypt_key_set(NULL);
    assert_string_equal(tccrypt_key_id(), "");
    assert_true(tccrypt_key_read(path, &k, err, sizeof(err)));
    assert_false(tccrypt_have_key()); /* read, not loaded */
    tccrypt_key_set(K1);              /* the same bytes as the file */
    snprintf(id1, sizeof(id1), "%s", tccrypt_key_id());
    assert_int_equal(strlen(id1), 16);
    assert_string_equal(k.id, id1);
    assert_null(strstr(id1, "010203"));
    tccrypt_key_set(K2);
    assert_string_not_equal(tccrypt_key_id(), id1);
    /* sealed by the object, opened by the process's key of the same bytes, not by another */
    assert_true(tccrypt_seal_with(&k, "10000000146", sealed));
    assert_false(tccrypt_open(sealed, out, sizeof(out)));
    tccrypt_key_set(K1);
    assert_true(tccrypt_open(sealed, out, sizeof(out)));
    assert_string_equal(out, "10000000146");
    assert_true(tccrypt_hash_with(&k, "10000000146", h1));
    assert_true(tccrypt_hash("10000000146", h2));
    assert_string_equal(h1, h2);
    tccrypt_key_forget(&k);
    assert_false(tccrypt_open_with(&k, sealed, out, sizeof(out)));
    chmod(path, 0640);
    assert_false(tccrypt_key_read(path, &k, err, sizeof(err)));
    assert_false(k.have);
    unlink(path);
    rmdir(dir);
    tccrypt_key_set(NULL);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),  cmocka_unit_test(wrong_key_fails),
        cmocka_unit_test(hash_stable), cmocka_unit_test(key_file),
        cmocka_unit_test(key_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
