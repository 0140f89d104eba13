/* alo153 routes: print the API's route table (method, pattern, access class, body). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "util/banned.h"

int cmd_routes(int argc, char **argv)
{
    if (argc == 2 && cli_is_help(argv[1])) {
        printf("usage: alo153 routes\n"
               "Prints the API's route table, one route a line, in dispatch order:\n"
               "METHOD PATTERN ACCESS BODY, separated by tabs. ACCESS is who may call it:\n"
               "public (no login), user (any logged-in user), front (agent, desk, supervisor,\n"
               "admin), oversight (supervisor, admin) or admin; BODY is json, file (a binary\n"
               "upload) or - (none).\n");
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: alo153 routes\n");
        return EXIT_USAGE;
    }
    struct api_route_info ri;
    for (size_t i = 0; api_route_info(i, &ri); i++)
        printf("%s\t%s\t%s\t%s\n", ri.method, ri.pattern, ri.access, ri.body);
    return 0;
}
