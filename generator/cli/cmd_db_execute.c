/* `prismac db execute`: migrations/commands.h. */
#include "cli.h"

#include "commands.h"

int cli_db_execute(const cli_options *o)
{
    migrations_cmd_options mo = { .schema_path = o->schema, .schema_given = o->schema_given, .url = o->url,
                                  .file = o->file, .from_stdin = o->from_stdin };
    return migrations_db_execute(&mo);
}
