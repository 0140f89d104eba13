#ifndef ALO_CLI_PROGRESS_H
#define ALO_CLI_PROGRESS_H
/*
 * The progress bar of the long CLI commands (backup, kvkk rotate-key): one line on stderr,
 * rewritten in place, only when stderr is a terminal; redrawn only when the percentage moves.
 */
#include <stdbool.h>
#include <stdint.h>

struct cli_progress {
    const char *label; /* printed before the bar (not owned) */
    bool tty;          /* stderr is a terminal: draw; else stay silent */
    bool counts;       /* also print "done/total" after the percentage */
    int last;          /* the percentage last drawn (-1: none yet) */
};

/* A bar named label; counts: show "done/total" too. */
void cli_progress_init(struct cli_progress *p, const char *label, bool counts);
/* Draw done of total (total 0 counts as finished); ends the line at 100 %. */
void cli_progress_show(struct cli_progress *p, int64_t done, int64_t total);

#endif
