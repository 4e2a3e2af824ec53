/* `prismac migrate diff`: the parsed sides go to migrate/migrate_diff.h. */
#include "cli.h"

#include "migrate_diff.h"

static prismac_diff_side side(const cli_diff_side *s)
{
    static const prismac_diff_kind kinds[] = {
        [CLI_DIFF_NONE] = PRISMAC_DIFF_NONE,
        [CLI_DIFF_EMPTY] = PRISMAC_DIFF_EMPTY,
        [CLI_DIFF_SCHEMA] = PRISMAC_DIFF_SCHEMA,
        [CLI_DIFF_MIGRATIONS] = PRISMAC_DIFF_MIGRATIONS,
        [CLI_DIFF_URL] = PRISMAC_DIFF_URL,
        [CLI_DIFF_CONFIG_DATASOURCE] = PRISMAC_DIFF_CONFIG_DATASOURCE,
    };
    return (prismac_diff_side){ .kind = kinds[s->kind], .value = s->value };
}

int cli_migrate_diff(const cli_options *o)
{
    prismac_diff_options d = { .from = side(&o->from), .to = side(&o->to), .schema_path = o->schema,
                               .shadow_url = o->shadow_url, .script = o->script, .exit_code = o->exit_code,
                               .output = o->output };
    return prismac_migrate_diff(&d);
}
