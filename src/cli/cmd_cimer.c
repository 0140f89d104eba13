/* alo153 cimer import FILE: the CİMER unit's import from the command line (core/cimer.h,
 * docs/INTAKE.md): the same all-or-nothing import as POST /api/v1/cimer/import. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cimer.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define CIMER_FILE_MAX (64u << 20)

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= CIMER_FILE_MAX) {
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *jdup(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v)) {
        char b[32];
        snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(v));
        return xstrdup(b);
    }
    return NULL;
}

/* The JSON form of an import (as POST /cimer/import takes it). */
static int parse_json(const char *data, size_t len, struct cimer_batch *b, int *line,
                      struct err_detail *ed)
{
    json_error_t je;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        *line = je.line > 0 ? je.line : 1;
        return err_set(ed, ERR_INVALID, "file", "line %d: not JSON: %s", *line, je.text);
    }
    json_t *arr = json_is_array(doc) ? doc : json_object_get(doc, "applications");
    int rc = ERR_OK;
    size_t i;
    json_t *v;
    if (!json_is_array(arr))
        rc = err_set(ed, ERR_INVALID, "file", "an array of applications is needed");
    else
        json_array_foreach(arr, i, v)
        {
            struct cimer_item *it = cimer_batch_add(b, (int)i + 1);
            if (!json_is_object(v)) {
                *line = it->line;
                rc = err_set(ed, ERR_INVALID, "file", "line %d: not an object", it->line);
                break;
            }
            json_t *cz = json_object_get(v, "citizen");
            json_t *who = json_is_object(cz) ? cz : v;
            it->cimer_no = jdup(v, "cimer_no");
            it->filed = jdup(v, "filed_at");
            it->kind = jdup(v, "kind");
            it->text = jdup(v, "text");
            it->name = jdup(who, "name");
            it->phone = jdup(who, "phone");
            it->email = jdup(who, "email");
            it->tc = jdup(who, "tc");
            it->address = jdup(who, "address");
        }
    json_decref(doc);
    return rc;
}

int cmd_cimer(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'b' },
                                          { "user", required_argument, NULL, 'u' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *username = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'u': username = optarg; break;
        case 'h':
            printf("usage: alo153 cimer import FILE.csv|FILE.json --user NAME [--db FILE|URL]\n"
                   "Import CİMER applications (docs/INTAKE.md) as the front-office user NAME:\n"
                   "all of them or, on the first malformed row, none (its line is printed).\n"
                   "A CİMER number imported before is skipped.\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind + 2 != argc || strcmp(argv[optind], "import") != 0 || !username) {
        fprintf(stderr, "usage: alo153 cimer import FILE --user NAME [--db FILE|URL]\n");
        return EXIT_USAGE;
    }
    const char *path = argv[optind + 1];
    size_t len = 0;
    char *data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "alo153 cimer: cannot read %s\n", path);
        return 1;
    }
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    struct cimer_batch b = { 0 };
    struct cimer_import_result res = { 0 };
    struct user u;
    char hash[256];
    int line = 0, rc = 1;
    if (store_open_existing(cli_db_path(db), &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 cimer: %s\n", ed.message);
        free(data);
        return 1;
    }
    if (store_user_by_name(st, username, &u, hash, sizeof(hash)) != ERR_OK || u.disabled) {
        fprintf(stderr, "alo153 cimer: no such user %s\n", username);
        goto out;
    }
    size_t pl = strlen(path);
    bool is_json = (pl > 5 && strcmp(path + pl - 5, ".json") == 0) || (len && data[0] == '[') ||
                   (len && data[0] == '{');
    int prc = is_json ? parse_json(data, len, &b, &line, &ed)
                      : core_cimer_parse_csv(data, len, &b, &line, &ed);
    if (prc == ERR_OK)
        prc = core_cimer_import(st, &u, &b, false, time_now(), &res, &line, &ed);
    if (prc != ERR_OK) {
        fprintf(stderr, "alo153 cimer: %s: %s (nothing imported)\n", path, ed.message);
        goto out;
    }
    for (size_t i = 0; i < res.n; i++)
        printf("%s\t%s\n", res.rows[i].cimer_no, res.rows[i].tracking);
    fprintf(stderr, "alo153 cimer: %zu imported, %zu imported before\n", res.created, res.skipped);
    rc = 0;
out:
    cimer_import_result_free(&res);
    cimer_batch_free(&b);
    store_close(st);
    free(data);
    return rc;
}
