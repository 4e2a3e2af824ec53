/* `prismac validate`: load and check the schema (a file, or a folder of
 * files). Warnings are printed and do not fail it. */
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
        if (errno == ENOENT && prismac_is_dir(o->schema))
            fprintf(stderr, "prismac validate: no .prisma files in the folder %s\n", o->schema);
        else
            fprintf(stderr, "prismac validate: cannot read %s: %s\n", o->schema, strerror(errno));
        return CLI_FAILED;
    }
    size_t errors = prismac_check(s);
    bool folder = prismac_is_dir(o->schema);
    if (errors == 0)
        printf(folder ? "The schemas at %s are valid.\n" : "The schema at %s is valid.\n", o->schema);
    else
        fprintf(stderr, "%zu error%s in %s\n", errors, errors == 1 ? "" : "s", o->schema);
    psl_schema_free(s);
    return errors ? CLI_FAILED : CLI_OK;
}
