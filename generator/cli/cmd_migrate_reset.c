/* `prismac migrate reset`: migrations/commands.h. */
#include "cli.h"

#include "commands.h"

int cli_migrate_reset(const cli_options *o)
{
    migrations_cmd_options mo = { .schema_path = o->schema, .applied = o->applied, .rolled_back = o->rolled_back,
                                  .force = o->force };
    return migrations_reset(&mo);
}
