#ifndef ALO_CLI_SIM_PROFILES_H
#define ALO_CLI_SIM_PROFILES_H
/*
 * The profiles of `alo153 simulate` (docs/REPORTS.md, "Simulated years"): a year of a
 * municipality's contact centre as totals (published figures where there are any, stated
 * assumptions elsewhere), and the arithmetic that scales them to 1/N exactly.
 *
 * Scaling (--scale N): every whole total T becomes round(T / N) (halves up), and the parts of
 * a whole are apportioned by the largest remainder so that they add up to the scaled whole:
 *   answered        = round(answered / N)
 *     -> instant_info, application (phone), followup, not_relevant, transferred_out
 *   applications    = round(applications / N); the phone part is the one above, the rest
 *     -> desk, mobile_desk, web, whatsapp, cimer, mobile_app
 *   abandoned       = round(answered_s * (10000 - rate_bp) / rate_bp): the calls abandoned
 *                     after the short-abandon threshold, so that answered / (answered +
 *                     abandoned) is the published rate (short abandons excluded, kpi.h)
 *   short_abandoned = round((answered_s + abandoned_s) * short_pm / 1000)
 * Pure: no store, no I/O.
 */
#include <stdbool.h>
#include <stdint.h>

/* What the simulated year is made of: one stream of events each. */
enum sim_stream {
    SIM_INSTANT,      /* answered 153 call, closed as instant information */
    SIM_PHONE_APP,    /* answered 153 call, an application registered and forwarded */
    SIM_FOLLOWUP,     /* answered 153 call about an earlier application */
    SIM_NOT_RELEVANT, /* wrong number, silent line */
    SIM_TRANSFERRED,  /* transferred to another institution (186, 187, …) */
    SIM_ABANDONED,    /* abandoned after the short-abandon threshold */
    SIM_SHORT_ABANDONED,
    SIM_APP_DESK, /* applications of the other channels, registered by the Beyaz Masa */
    SIM_APP_MOBILE_DESK,
    SIM_APP_WEB,
    SIM_APP_WHATSAPP,
    SIM_APP_CIMER,
    SIM_APP_MOBILE_APP,
    SIM__COUNT
};

#define SIM_ANSWERED_PARTS 5 /* SIM_INSTANT .. SIM_TRANSFERRED */
#define SIM_FIRST_APP_CHANNEL SIM_APP_DESK

struct sim_profile {
    const char *name;         /* "samsun-2025" */
    const char *city;         /* "Samsun" */
    const char *source;       /* what is published, in one line */
    int year;                 /* the year the figures are of (--year may move it) */
    int64_t answered;         /* 153 calls answered */
    int answer_rate_bp;       /* answered / (answered + abandoned, short excluded), basis points */
    int short_pm;             /* short abandons per mille of the other calls */
    int64_t part[SIM__COUNT]; /* the answered parts [SIM_INSTANT..SIM_TRANSFERRED] (adding up
                               * to answered) and the other channels' applications
                               * [SIM_APP_DESK..]; the abandoned ones are derived */
    int64_t applications;     /* phone + other channels */
    int64_t agents;           /* call-takers to create (sim.agentNN) */
};

/* The profile called name, or NULL. */
const struct sim_profile *sim_profile_find(const char *name);
/* The names, NULL-terminated (for usage). */
extern const char *const sim_profile_names[];
/* Is p consistent (parts add up to answered and applications, rate in (0, 100 %))? */
bool sim_profile_valid(const struct sim_profile *p);

/* The year's totals of p at 1/scale (scale >= 1), as above: out[stream] and *applications. */
void sim_profile_scale(const struct sim_profile *p, int64_t scale, int64_t out[SIM__COUNT],
                       int64_t *applications);
/* Apportion total over n weights (>= 0, not all 0) by the largest remainder: out[i] ≈
 * total * w[i] / sum(w), adding up to total exactly; ties go to the lower index. */
void sim_apportion(int64_t total, const double *w, int n, int64_t *out);
/* round(a / b) for a >= 0, b > 0, halves up. */
int64_t sim_div_round(int64_t a, int64_t b);

/* The name of a stream ("instant_info", "desk", …) for printing. */
const char *sim_stream_name(enum sim_stream s);

#endif
