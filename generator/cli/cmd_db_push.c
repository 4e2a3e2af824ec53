/* `prismac db push`: the options go to db push (migrate/push.h) as they are. */
#include "cli.h"

#include "push.h"

int cli_db_push(const cli_options *o)
{
    prismac_push_options po = { .schema_path = o->schema, .url = o->url, .force_reset = o->force_reset,
                                .accept_data_loss = o->accept_data_loss };
    return prismac_db_push(&po);
}
