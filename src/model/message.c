#include "model/message.h"

#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

void outbox_msg_release(struct outbox_msg *m)
{
    free(m->subject);
    free(m->body);
    memset(m, 0, sizeof(*m));
}

void msg_template_release(struct msg_template *t)
{
    free(t->subject);
    free(t->body);
    memset(t, 0, sizeof(*t));
}

void satisfaction_release(struct satisfaction *s)
{
    free(s->comment);
    memset(s, 0, sizeof(*s));
}
