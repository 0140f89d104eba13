/* The profiles of `alo153 simulate` and their exact scaling (sim_profiles.h). */
#include "cli/sim_profiles.h"

#include <stdlib.h>

#include "util/xmalloc.h"
#include "util/banned.h"

/* Published: Samsun Büyükşehir's ALO 153 for 2025 (1,059,219 calls answered at 93.96 %;
 * 612,695 settled as instant information, 446,524 forwarded as applications), Kayseri's
 * (1,193,060 calls answered, 63,836 applications registered), Kahramanmaraş's (148,910 calls
 * answered). Everything else is an assumption, stated in docs/REPORTS.md. */
/* clang-format off */
static const struct sim_profile profiles[] = {
    { "samsun-2025", "Samsun",
      "1,059,219 answered at 93.96 %; 612,695 instant information; 446,524 forwarded",
      2025, 1059219, 9396, 15,
      /* instant   phone app  followup  not_rel  transf   aband  short  desk   mdesk  web    whatsapp cimer  mobile_app */
      { 612695,    446524,    0,        0,       0,       0,     0,     41200, 6300,  28400, 15800,   12600, 9700 },
      560524, 60 },
    { "kayseri-2025", "Kayseri",
      "1,193,060 answered; 63,836 applications registered",
      2025, 1193060, 9500, 15,
      { 1083178,   38302,     23860,    35790,   11930,   0,     0,     8940,  1270,  7020,  3830,    2554,  1920 },
      63836, 60 },
    { "kahramanmaras-2025", "Kahramanmaraş",
      "148,910 answered",
      2025, 148910, 9200, 20,
      { 126500,    13900,     2980,     4470,    1060,    0,     0,     3600,  900,   2500,  1400,    1000,  700 },
      24000, 12 },
    { "istanbul", "İstanbul",
      "none: an İstanbul-size year (15 M contacts and applications) for the benchmark",
      2025, 11000000, 9000, 20,
      { 7500000,   2600000,   300000,   450000,  150000,  0,     0,     300000, 50000, 500000, 250000, 150000, 150000 },
      4000000, 400 },
};
/* clang-format on */

const char *const sim_profile_names[] = { "samsun-2025", "kayseri-2025", "kahramanmaras-2025",
                                          "istanbul", NULL };

static const char *const stream_names[SIM__COUNT] = {
    [SIM_INSTANT] = "instant_info",
    [SIM_PHONE_APP] = "application",
    [SIM_FOLLOWUP] = "followup",
    [SIM_NOT_RELEVANT] = "not_relevant",
    [SIM_TRANSFERRED] = "transferred_out",
    [SIM_ABANDONED] = "abandoned",
    [SIM_SHORT_ABANDONED] = "short_abandoned",
    [SIM_APP_DESK] = "desk",
    [SIM_APP_MOBILE_DESK] = "mobile_desk",
    [SIM_APP_WEB] = "web",
    [SIM_APP_WHATSAPP] = "whatsapp",
    [SIM_APP_CIMER] = "cimer",
    [SIM_APP_MOBILE_APP] = "mobile_app",
};

const char *sim_stream_name(enum sim_stream s)
{
    return (unsigned)s < SIM__COUNT ? stream_names[s] : "?";
}

const struct sim_profile *sim_profile_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof(profiles) / sizeof(profiles[0]); i++) {
        const char *a = profiles[i].name, *b = name;
        while (*a && *a == *b)
            a++, b++;
        if (!*a && !*b)
            return &profiles[i];
    }
    return NULL;
}

bool sim_profile_valid(const struct sim_profile *p)
{
    int64_t answered = 0, apps = p->part[SIM_PHONE_APP];
    for (int i = 0; i < SIM_ANSWERED_PARTS; i++)
        answered += p->part[i];
    for (int i = SIM_FIRST_APP_CHANNEL; i < SIM__COUNT; i++)
        apps += p->part[i];
    return answered == p->answered && apps == p->applications && p->answer_rate_bp > 0 &&
           p->answer_rate_bp <= 10000 && p->short_pm >= 0 && p->short_pm < 1000;
}

int64_t sim_div_round(int64_t a, int64_t b)
{
    return (2 * a + b) / (2 * b);
}

struct rem {
    double frac;
    int i;
};

static int by_remainder(const void *x, const void *y)
{
    const struct rem *a = x, *b = y;
    if (a->frac != b->frac)
        return a->frac < b->frac ? 1 : -1;
    return a->i - b->i;
}

void sim_apportion(int64_t total, const double *w, int n, int64_t *out)
{
    double sum = 0;
    int64_t given = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    struct rem *r = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(*r));
    for (int i = 0; i < n; i++) {
        double q = sum > 0 ? (double)total * w[i] / sum : 0;
        out[i] = (int64_t)q;
        given += out[i];
        r[i].frac = q - (double)out[i];
        r[i].i = i;
    }
    qsort(r, (size_t)n, sizeof(*r), by_remainder);
    /* floating point may leave the floors a little off in either direction: settle exactly */
    for (int k = 0; given < total && n > 0; k = (k + 1) % n, given++)
        out[r[k].i]++;
    for (int k = n - 1; given > total && n > 0; k = (k + n - 1) % n)
        if (out[r[k].i] > 0)
            out[r[k].i]--, given--;
    free(r);
}

void sim_profile_scale(const struct sim_profile *p, int64_t scale, int64_t out[SIM__COUNT],
                       int64_t *applications)
{
    double w[SIM__COUNT];
    int64_t part[SIM__COUNT];
    for (int i = 0; i < SIM__COUNT; i++)
        out[i] = 0;
    int64_t answered = sim_div_round(p->answered, scale);
    for (int i = 0; i < SIM_ANSWERED_PARTS; i++)
        w[i] = (double)p->part[i];
    sim_apportion(answered, w, SIM_ANSWERED_PARTS, part);
    for (int i = 0; i < SIM_ANSWERED_PARTS; i++)
        out[i] = part[i];
    int64_t apps = sim_div_round(p->applications, scale);
    int64_t others = apps - out[SIM_PHONE_APP];
    if (others < 0) { /* cannot happen with valid profiles; keep the phone part whole */
        others = 0;
        apps = out[SIM_PHONE_APP];
    }
    int nch = SIM__COUNT - SIM_FIRST_APP_CHANNEL;
    for (int i = 0; i < nch; i++)
        w[i] = (double)p->part[SIM_FIRST_APP_CHANNEL + i];
    sim_apportion(others, w, nch, part);
    for (int i = 0; i < nch; i++)
        out[SIM_FIRST_APP_CHANNEL + i] = part[i];
    *applications = apps;
    out[SIM_ABANDONED] =
        sim_div_round(answered * (10000 - p->answer_rate_bp), (int64_t)p->answer_rate_bp);
    out[SIM_SHORT_ABANDONED] = sim_div_round((answered + out[SIM_ABANDONED]) * p->short_pm, 1000);
}
