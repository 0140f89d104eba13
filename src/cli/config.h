#ifndef ALO_CLI_CONFIG_H
#define ALO_CLI_CONFIG_H
/*
 * The configuration file (docs/OPERATIONS.md, "Configuration file"): /etc/alo153/alo153.conf,
 * or the file of --config FILE / ALO153_CONFIG. Lines "key = value"; blank lines and lines
 * whose first non-blank character is '#' are ignored. The keys are serve's long options
 * (listen, db, threads, tls-cert, smtp-url, ...) plus log and log-format.
 *
 * Every setting already has an environment variable (ALO153_LISTEN, ...), and every command
 * reads flags first, then the environment. A file's value is therefore put into its variable
 * only when that variable is unset or empty: flags > environment > file > defaults, for every
 * command.
 * An unknown key, a key given twice, a line without '=' or a bad value is refused with
 * "file:line: message". Secrets are never values here: only the names of files holding them
 * (smtp-credentials, imap-credentials, sms-config, whatsapp-secrets, tls-key).
 */
#include <stdbool.h>
#include <stddef.h>

/* The file read when neither --config nor ALO153_CONFIG names one (a missing one is fine). */
#define CONFIG_DEFAULT_PATH "/etc/alo153/alo153.conf"

/* Check the text of a configuration file (name: for the messages) and, when all of it is
 * valid, set the variable of every key whose variable is unset or empty. Returns false, with
 * "name:line: message" in err (errlen bytes), on the first bad line; nothing is set then. */
bool config_apply_text(const char *name, const char *text, char *err, size_t errlen);

/* Find the configuration file (--config FILE or --config=FILE anywhere in argv, removed from
 * argv and *argc; else ALO153_CONFIG; else CONFIG_DEFAULT_PATH if it exists; "none" or an empty
 * ALO153_CONFIG = no file) and apply it. A named file that cannot be read is an error.
 * Returns 0, or the exit status (1, or 2 for a usage error) after a message on stderr. */
int config_load(int *argc, char **argv);

/* The environment variable of a key (static), or NULL for an unknown key. */
const char *config_env_of(const char *key);

#endif
