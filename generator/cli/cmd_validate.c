/* `prismac validate`: load and check the schema. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "prismac.h"

int cli_validate(const cli_options *o)
{
    psl_schema *s;
    if (prismac_load(o->schema, stderr, isatty(2) != 0, &s) != 0) {
        fprintf(stderr, "prismac validate: cannot read %s: %s\n", o->schema, strerror(errno));
        return CLI_FAILED;
    }
    size_t errors = prismac_check(s);
    if (errors == 0)
        printf("The schema at %s is valid.\n", o->schema);
    else
        fprintf(stderr, "%zu error%s in %s\n", errors, errors == 1 ? "" : "s", o->schema);
    psl_schema_free(s);
    return errors ? CLI_FAILED : CLI_OK;
}
