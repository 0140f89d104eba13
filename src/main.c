/* alo153: the solution centre of a Turkish municipality (ALO 153 + Beyaz Masa). */
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/config.h"
#include "cli/log_json.h"
#include "util/log.h"
#include "util/banned.h"

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
} commands[] = {
    { "serve", cmd_serve, "serve the API and the web console" },
    { "init", cmd_init, "create or upgrade a database (--demo fills it with sample data)" },
    { "user", cmd_user, "add, list, change the password of, or disable users" },
    { "token", cmd_token, "create API tokens for integrations" },
    { "import", cmd_import, "import reference data (geography)" },
    { "train", cmd_train, "train the routing model from the corpus and closed applications" },
    { "eval", cmd_eval, "measure the routing model on a labelled file" },
    { "report", cmd_report, "print or write the report of a period (text, json, csv, xlsx)" },
    { "backup", cmd_backup, "copy a SQLite database while it is served, with a checksum" },
    { "restore", cmd_restore, "check a backup and make it the database (keeps the old one)" },
    { "migrate", cmd_migrate, "copy a database to another backend (SQLite to PostgreSQL)" },
    { "ami", cmd_ami, "record call and agent events from Asterisk (AMI)" },
    { "kpi", cmd_kpi, "show or change the KPI thresholds and queues; recount the KPI rollups" },
    { "simulate", cmd_simulate, "write a simulated year of calls, contacts and applications" },
    { "cimer", cmd_cimer, "import CİMER applications from a CSV or JSON file" },
    { "retention", cmd_retention, "KVKK: anonymise personal data past the retention period" },
    { "kvkk", cmd_kvkk, "KVKK: make a new T.C. number key, rotate the key" },
    { "routes", cmd_routes, "print the API's route table (method, pattern, access)" },
    { "version", cmd_version, "print the version" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: alo153 <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nRun 'alo153 <command> --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C.UTF-8");
    /* the configuration file fills the ALO153_* variables that are unset (cli/config.h) */
    if (argc >= 2 && !cli_is_help(argv[1]) && strcmp(argv[1], "help") != 0) {
        int rc = config_load(&argc, argv);
        if (rc)
            return rc;
    }
    const char *lvl = getenv("ALO153_LOG");
    if (lvl)
        log_set_level(strcmp(lvl, "debug") == 0   ? LOG_DEBUG
                      : strcmp(lvl, "warn") == 0  ? LOG_WARN
                      : strcmp(lvl, "error") == 0 ? LOG_ERROR
                                                  : LOG_INFO);
    const char *fmt = getenv("ALO153_LOG_FORMAT");
    if (fmt && strcmp(fmt, "json") == 0)
        log_set_sink(log_json_sink);
    if (sodium_init() < 0) {
        fprintf(stderr, "alo153: libsodium failed to initialise\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "alo153: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
