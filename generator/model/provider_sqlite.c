/* SQLite: no native types, no schemas, no scalar lists; table names ignore
 * case. */
#include "provider.h"

static const char *const sqlite_urls[] = { "file:", NULL };

const psl_connector psl_connector_sqlite = {
    .id = PSL_PROVIDER_SQLITE,
    .name = "sqlite",
    .title = "SQLite",
    .url_prefixes = sqlite_urls,
    .runtime_provider = "PRISMA_SQLITE",
    .max_ident_len = 0,
    .caps = PSL_CAP_TABLE_NAMES_IGNORE_CASE,
    .emulated_actions = PSL_ACTION_BIT(PSL_ACTION_CASCADE) | PSL_ACTION_BIT(PSL_ACTION_RESTRICT) |
                        PSL_ACTION_BIT(PSL_ACTION_SET_NULL),
    .emulation_name = "sqlite",
};
