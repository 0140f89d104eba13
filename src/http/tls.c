#include "http/tls.h"

#include <errno.h>
#include <gnutls/x509.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define CHAIN_MAX 16

struct tls_creds {
    struct tls_creds *older; /* kept until tls_stop */
    gnutls_pcert_st pcert[CHAIN_MAX];
    unsigned npcert;
    gnutls_privkey_t key;
    char fingerprint[65];
};

static pthread_mutex_t tls_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tls_creds *tls_current; /* newest first; the rest linked by `older` */
static char *tls_cert_path, *tls_key_path;

static void creds_free(struct tls_creds *c)
{
    for (unsigned i = 0; i < c->npcert; i++)
        gnutls_pcert_deinit(&c->pcert[i]);
    if (c->key)
        gnutls_privkey_deinit(c->key);
    free(c);
}

/* Read a whole file (at most 1 MiB) into d (gnutls_free it). */
static bool read_file(const char *what, const char *path, gnutls_datum_t *d, char *err,
                      size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read the TLS %s %s: %s", what, path, strerror(errno));
        return false;
    }
    fclose(f);
    int rc = gnutls_load_file(path, d);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read the TLS %s %s: %s", what, path, gnutls_strerror(rc));
        return false;
    }
    if (d->size > 1024 * 1024) {
        snprintf(err, errlen, "the TLS %s %s is larger than 1 MiB", what, path);
        gnutls_free(d->data);
        return false;
    }
    return true;
}

/* Does key belong to the certificate's public key? */
static bool key_matches(gnutls_privkey_t key, gnutls_pubkey_t cert_pub)
{
    unsigned char a[64], b[64];
    size_t alen = sizeof(a), blen = sizeof(b);
    gnutls_pubkey_t pub;
    if (gnutls_pubkey_init(&pub) < 0)
        return false;
    bool ok = gnutls_pubkey_import_privkey(pub, key, 0, 0) >= 0 &&
              gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, a, &alen) >= 0 &&
              gnutls_pubkey_get_key_id(cert_pub, GNUTLS_KEYID_USE_SHA256, b, &blen) >= 0 &&
              alen == blen && memcmp(a, b, alen) == 0;
    gnutls_pubkey_deinit(pub);
    return ok;
}

static void hex(const unsigned char *b, size_t n, char *out, size_t outlen)
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 < outlen; i++) {
        out[o++] = digits[b[i] >> 4];
        out[o++] = digits[b[i] & 15];
    }
    out[o] = '\0';
}

/* The certificate's expiry, for the log ("" when unknown). */
static void not_after(const gnutls_datum_t *der, char *out, size_t outlen)
{
    gnutls_x509_crt_t crt;
    out[0] = '\0';
    if (gnutls_x509_crt_init(&crt) < 0)
        return;
    if (gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) >= 0) {
        time_t t = gnutls_x509_crt_get_expiration_time(crt);
        struct tm tm;
        if (t != (time_t)-1 && gmtime_r(&t, &tm))
            strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    gnutls_x509_crt_deinit(crt);
}

static struct tls_creds *creds_load(const char *cert_file, const char *key_file, char *err,
                                    size_t errlen)
{
    gnutls_datum_t cd = { 0 }, kd = { 0 };
    struct tls_creds *c = NULL;
    int rc;
    if (!read_file("certificate", cert_file, &cd, err, errlen))
        return NULL;
    if (!read_file("key", key_file, &kd, err, errlen))
        goto done;
    c = xcalloc(1, sizeof(*c));
    c->npcert = CHAIN_MAX;
    rc = gnutls_pcert_list_import_x509_raw(c->pcert, &c->npcert, &cd, GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0 || c->npcert == 0) {
        snprintf(err, errlen, "%s holds no PEM certificate (or more than %d): %s", cert_file,
                 CHAIN_MAX, rc < 0 ? gnutls_strerror(rc) : "empty");
        c->npcert = 0;
        goto fail;
    }
    if ((rc = gnutls_privkey_init(&c->key)) < 0 ||
        (rc = gnutls_privkey_import_x509_raw(c->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        snprintf(err, errlen, "%s holds no unencrypted PEM private key: %s", key_file,
                 gnutls_strerror(rc));
        goto fail;
    }
    if (!key_matches(c->key, c->pcert[0].pubkey)) {
        snprintf(err, errlen, "the key %s does not belong to the certificate %s", key_file,
                 cert_file);
        goto fail;
    }
    unsigned char fp[32];
    size_t fplen = sizeof(fp);
    if (gnutls_fingerprint(GNUTLS_DIG_SHA256, &c->pcert[0].cert, fp, &fplen) >= 0)
        hex(fp, fplen, c->fingerprint, sizeof(c->fingerprint));
    char expires[32];
    not_after(&c->pcert[0].cert, expires, sizeof(expires));
    log_info("msg=\"TLS certificate loaded\" cert=%s chain=%u sha256=%s not_after=%s", cert_file,
             c->npcert, c->fingerprint, expires[0] ? expires : "-");
    goto done;
fail:
    creds_free(c);
    c = NULL;
done:
    gnutls_free(cd.data);
    if (kd.data) {
        memset(kd.data, 0, kd.size); /* the key's bytes do not linger in freed memory */
        gnutls_free(kd.data);
    }
    return c;
}

bool tls_start(const char *cert_file, const char *key_file, char *err, size_t errlen)
{
    struct tls_creds *c = creds_load(cert_file, key_file, err, errlen);
    if (!c)
        return false;
    pthread_mutex_lock(&tls_lock);
    c->older = tls_current;
    tls_current = c;
    free(tls_cert_path);
    free(tls_key_path);
    tls_cert_path = xstrdup(cert_file);
    tls_key_path = xstrdup(key_file);
    pthread_mutex_unlock(&tls_lock);
    return true;
}

bool tls_reload(char *err, size_t errlen)
{
    pthread_mutex_lock(&tls_lock);
    char *cert = tls_cert_path ? xstrdup(tls_cert_path) : NULL;
    char *key = tls_key_path ? xstrdup(tls_key_path) : NULL;
    pthread_mutex_unlock(&tls_lock);
    struct tls_creds *c = NULL;
    if (!cert || !key)
        snprintf(err, errlen, "TLS is off");
    else
        c = creds_load(cert, key, err, errlen);
    free(cert);
    free(key);
    if (!c)
        return false;
    pthread_mutex_lock(&tls_lock);
    c->older = tls_current;
    tls_current = c;
    pthread_mutex_unlock(&tls_lock);
    return true;
}

void tls_stop(void)
{
    pthread_mutex_lock(&tls_lock);
    struct tls_creds *c = tls_current;
    tls_current = NULL;
    free(tls_cert_path);
    free(tls_key_path);
    tls_cert_path = tls_key_path = NULL;
    pthread_mutex_unlock(&tls_lock);
    while (c) {
        struct tls_creds *older = c->older;
        creds_free(c);
        c = older;
    }
}

void tls_fingerprint(char *out, size_t outlen)
{
    pthread_mutex_lock(&tls_lock);
    str_copy(out, outlen, tls_current ? tls_current->fingerprint : "");
    pthread_mutex_unlock(&tls_lock);
}

int tls_retrieve_cert(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                      const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                      gnutls_pcert_st **pcert, unsigned int *pcert_length,
                      gnutls_privkey_t *privkey)
{
    (void)session, (void)req_ca_dn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
    pthread_mutex_lock(&tls_lock);
    struct tls_creds *c = tls_current;
    pthread_mutex_unlock(&tls_lock);
    if (!c)
        return -1;
    *pcert = c->pcert;
    *pcert_length = c->npcert;
    *privkey = c->key;
    return 0;
}
