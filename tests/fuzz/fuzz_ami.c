/* libFuzzer target: the Asterisk Manager Interface parser and event mapping (cti/ami.h). The
 * input is fed in pieces whose sizes come from its first byte (a socket splits anywhere), and
 * every complete message is mapped. Promises checked: a message never has more than
 * AMI_FIELDS_MAX fields, keys fit AMI_KEY_MAX, and a mapped event has a call id and a type
 * from the documented list, with NUL-terminated fields. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "cti/ami.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const types[] = { "queued",      "ringing",     "answered",    "abandoned",
                                     "ended",       "transferred", "agent_login", "agent_logout",
                                     "agent_pause", "agent_ready", NULL };

static void on_msg(const struct ami_msg *m, void *arg)
{
    (void)arg;
    assert(m->n <= AMI_FIELDS_MAX);
    for (size_t i = 0; i < m->n; i++)
        assert(strlen(m->f[i].key) <= AMI_KEY_MAX);
    struct ami_event ev;
    const char *why = NULL;
    enum ami_map_result r = ami_map(m, NULL, 1760000000, &ev, &why);
    if (r == AMI_MAPPED) {
        assert(memchr(ev.type, 0, sizeof(ev.type)) && memchr(ev.call_id, 0, sizeof(ev.call_id)));
        assert(memchr(ev.agent, 0, sizeof(ev.agent)) && memchr(ev.queue, 0, sizeof(ev.queue)));
        bool known = false;
        for (int i = 0; types[i]; i++)
            known |= strcmp(ev.type, types[i]) == 0;
        assert(known);
    } else if (r == AMI_UNUSABLE) {
        assert(why && *why);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ami_parser p; /* large (a message buffer): not on the stack */
    if (size == 0)
        return 0;
    size_t step = (size_t)(data[0] % 64) + 1;
    ami_parser_init(&p, on_msg, NULL, NULL);
    for (size_t i = 1; i < size; i += step)
        ami_feed(&p, (const char *)data + i, size - i < step ? size - i : step);
    return 0;
}
