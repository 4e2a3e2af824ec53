/* The dialects db push knows: a new database adds its line here. */
#include "dialect.h"

static const migrate_dialect *const dialects[] = { &migrate_sqlite, &migrate_postgres, &migrate_cockroach };

const migrate_dialect *migrate_dialect_for(psl_provider p)
{
    for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++)
        if (dialects[i]->provider == p)
            return dialects[i];
    return NULL;
}
