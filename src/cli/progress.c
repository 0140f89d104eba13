/* The CLI's progress bar (progress.h). */
#include "cli/progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/banned.h"

void cli_progress_init(struct cli_progress *p, const char *label, bool counts)
{
    p->label = label;
    p->tty = isatty(STDERR_FILENO);
    p->counts = counts;
    p->last = -1;
}

void cli_progress_show(struct cli_progress *p, int64_t done, int64_t total)
{
    int pct = total > 0 ? (int)(done * 100 / total) : 100;
    if (pct > 100)
        pct = 100;
    if (!p->tty || pct == p->last)
        return;
    p->last = pct;
    char line[51];
    memset(line, '#', (size_t)pct / 2);
    memset(line + pct / 2, '.', 50 - (size_t)pct / 2);
    line[50] = '\0';
    fprintf(stderr, "\r%s [%s] %3d %%", p->label, line, pct);
    if (p->counts)
        fprintf(stderr, " %" PRId64 "/%" PRId64, done, total);
    if (pct == 100)
        fputc('\n', stderr);
    fflush(stderr);
}
