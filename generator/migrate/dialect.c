/* The dialects db push knows: a new database adds its line here. */
#include "dialect.h"

#include "backend.h"

static const migrate_dialect *const dialects[] = { &migrate_sqlite, &migrate_postgres, &migrate_cockroach, &migrate_mysql };

const migrate_dialect *migrate_dialect_for(psl_provider p)
{
    for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++)
        if (dialects[i]->provider == p)
            return dialects[i];
    return NULL;
}

const migrate_dialect *migrate_dialect_for_url(const char *url)
{
    for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++) {
        const prisma_backend *b = backend_named(dialects[i]->backend_name); /* NULL: not built in */
        if (b && backend_opens(b, url))
            return dialects[i];
    }
    return NULL;
}
