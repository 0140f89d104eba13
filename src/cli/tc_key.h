#ifndef ALO_CLI_TC_KEY_H
#define ALO_CLI_TC_KEY_H
/*
 * The T.C. number key (util/tccrypt.h, docs/KVKK.md) for the subcommands: where it is, made
 * by init, loaded by serve and retention.
 *   the key file: --tc-key-file, else $ALO153_TC_KEY_FILE, else DB.tc-key next to a SQLite
 *   file (a PostgreSQL URL has no "next to": give the file).
 */
#include <stdbool.h>
#include <stddef.h>

struct store;

/* The key file for db (given may be NULL) into buf; NULL when none can be named. */
const char *cli_tc_key_path(const char *db, const char *given, char *buf, size_t len);
/* init: create the key file when absent (mode 0600) and say so on stdout. false with a message
 * on stderr when it cannot be written. Nothing to do (true) when no path can be named. */
bool cli_tc_key_create(const char *db, const char *given, const char *prog);
/* Load the key (when its file exists) and make the database match: with a key, every plain
 * T.C. number is sealed now; without one, false (with a message) when sealed numbers exist,
 * since they could be neither read nor compared; with one, false when sealed numbers are not
 * under it (core_kvkk_key_check: a wrong key, or a key rotation not finished). */
bool cli_tc_key_setup(struct store *st, const char *db, const char *given, const char *prog);
/* migrate: the source's sealed numbers are copied as they are, so they must open with the key
 * the target will be served with (given, $ALO153_TC_KEY_FILE, or the one next to the source's
 * file). false with a message on stderr when the source holds sealed numbers and that key is
 * missing or does not open them all; true (with a note) otherwise. Loads the key. */
bool cli_tc_key_check_copy(struct store *from, const char *from_db, const char *given,
                           const char *prog);

#endif
