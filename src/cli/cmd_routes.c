/* alo153 routes: print every mount's route table (method, full pattern, access class, body kind
 * and cap). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "util/banned.h"

int cmd_routes(int argc, char **argv)
{
    if (argc == 2 && cli_is_help(argv[1])) {
        printf("usage: alo153 routes\n"
               "Prints the route tables of every mount, one route a line, in dispatch order:\n"
               "METHOD PATTERN ACCESS BODY CAP, separated by tabs. PATTERN includes the mount's\n"
               "prefix (/api/v1/...). ACCESS is who may call it: public (no login), user (any\n"
               "logged-in user), front (agent, desk, supervisor, admin), oversight (supervisor,\n"
               "admin) or admin; BODY is json, form (application/x-www-form-urlencoded), file\n"
               "(a binary upload) or - (none); CAP is the route's own body limit in bytes, or\n"
               "default (1 MiB; 10 MiB for a file).\n");
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: alo153 routes\n");
        return EXIT_USAGE;
    }
    struct api_route_info ri;
    for (size_t i = 0; api_route_info(i, &ri); i++) {
        char cap[32] = "default";
        if (ri.body_max)
            snprintf(cap, sizeof(cap), "%zu", ri.body_max);
        printf("%s\t%s\t%s\t%s\t%s\n", ri.method, ri.pattern, ri.access, ri.body, cap);
    }
    return 0;
}
