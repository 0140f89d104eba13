#ifndef ALO_NLP_URGENCY_H
#define ALO_NLP_URGENCY_H
/*
 * Danger to life or safety in a citizen's words: gas smell, collapsing walls or buildings,
 * injured people or animals, open manholes, live wires, flooding, fire, people trapped.
 * Rules match on the folded form (see turkish.h), so "GAZ KOKUYOR", "gaz kokusu var" and
 * "dogalgaz kokuyo" all trigger. A rule is a set of word groups that must all occur.
 */
#include <stdbool.h>
#include <stddef.h>

struct urgency {
    bool urgent;
    char rule[48];   /* the first rule that fired, e.g. "gas_smell" */
    char words[160]; /* the words that triggered it, as written by the citizen, comma separated */
};

/* Examine text (valid UTF-8); fills *out. Returns false on invalid UTF-8 (out cleared). */
bool nlp_urgency(const char *text, struct urgency *out);

#endif
