/* Drift: how a database differs from what its migrations produce. A
 * structural comparison of two described states (dbstate.h), written as
 * Prisma's drift summary ("[+] Added tables", "[*] Changed the `User`
 * table", ...): the changes that take `expected` (the shadow database after
 * the applied migrations) to `actual` (the development database). */
#ifndef PRISMAC_DRIFT_H
#define PRISMAC_DRIFT_H

#include "dialect.h"

/* Appends the summary to `out` (nothing when the states agree); returns the
 * number of differences found. `D` decides how SQLite's table rewrites are
 * reported (Prisma's "Redefined table"). */
size_t drift_summary(const migrate_dialect *D, const db_state *expected, const db_state *actual, psl_sql *out);

#endif
