#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

void citizen_release(struct citizen *c)
{
    free(c->name);
    free(c->email);
    free(c->address);
    memset(c, 0, sizeof(*c));
}

void app_release(struct app *a)
{
    free(a->text);
    free(a->address);
    free(a->public_response);
    free(a->redirect);
    memset(a, 0, sizeof(*a));
}

void app_event_release(struct app_event *e)
{
    free(e->note);
    memset(e, 0, sizeof(*e));
}
