#ifndef ALO_HTTP_TLS_H
#define ALO_HTTP_TLS_H
/*
 * The TLS certificate and key of `serve` (GnuTLS, for libmicrohttpd; http.c's business only).
 * libmicrohttpd asks tls_retrieve_cert for the certificate at each handshake, so a reload
 * (SIGHUP) swaps the credentials new handshakes get without touching open connections.
 * Process-wide: one TLS listener per process.
 *
 * Every credential set loaded stays in memory until tls_stop (GnuTLS may still use an older
 * one in a session that began before a reload); a reload costs a few KiB.
 */
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <stdbool.h>
#include <stddef.h>

/* TLS 1.2 and 1.3 only. */
#define TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

/* Load the PEM certificate chain cert_file and private key key_file (which must belong to the
 * chain's first certificate) and make them current. false with a message in err (errlen bytes):
 * a file missing or unreadable, not PEM, or a key of another certificate. The paths are kept
 * (copied) for tls_reload. */
bool tls_start(const char *cert_file, const char *key_file, char *err, size_t errlen);
/* Load the same files again; on success new handshakes use them. On failure the current ones
 * stay and err says why. */
bool tls_reload(char *err, size_t errlen);
/* Free every credential set (after the listener stopped). */
void tls_stop(void);
/* The current certificate's SHA-256 fingerprint as hex ("" when none), into out (>= 65 bytes). */
void tls_fingerprint(char *out, size_t outlen);

/* libmicrohttpd's MHD_OPTION_HTTPS_CERT_CALLBACK (gnutls_certificate_retrieve_function2). */
int tls_retrieve_cert(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                      const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                      gnutls_pcert_st **pcert, unsigned int *pcert_length,
                      gnutls_privkey_t *privkey);

#endif
