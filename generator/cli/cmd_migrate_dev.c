/* `prismac migrate dev`: a thin layer over prismac_migrate_dev (dev.h). */
#include "cli.h"

#include <stdlib.h>
#include <unistd.h>

#include "dev.h"

int cli_migrate_dev(const cli_options *o)
{
    /* Prisma prompts only on a terminal and never in CI. */
    const char *ci = getenv("CI");
    prismac_dev_options d = {
        .schema_path = o->schema,
        .url = o->url,
        .name = o->name,
        .create_only = o->create_only,
        .shadow_url = o->shadow_url,
        .interactive = isatty(0) && isatty(1) && !(ci && *ci && ci[0] != '0'),
    };
    return prismac_migrate_dev(&d);
}
