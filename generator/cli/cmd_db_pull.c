/* `prismac db pull`: the options go to db pull (pull/pull.h) as they are. */
#include "cli.h"

#include "pull.h"

int cli_db_pull(const cli_options *o)
{
    prismac_pull_options po = { .schema_path = o->schema, .url = o->url, .force = o->force, .print = o->print,
                                .schemas = o->schemas };
    return prismac_db_pull(&po);
}
