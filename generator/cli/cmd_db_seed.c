/* `prismac db seed [-- ARGS]`: migrations/commands.h. */
#include "cli.h"

#include "commands.h"

int cli_db_seed(const cli_options *o)
{
    migrations_cmd_options mo = { .rest = o->rest, .n_rest = o->n_rest };
    return migrations_db_seed(&mo);
}
