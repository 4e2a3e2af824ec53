/* Helpers of the dialects' describe (dialect.h): catalog rows in one column
 * order, grouped into db_state (dbstate.h). */
#ifndef PRISMAC_MIGRATE_DESCRIBE_H
#define PRISMAC_MIGRATE_DESCRIBE_H

#include "conn.h"
#include "dbstate.h"

/* Adds t's foreign keys from `fk`, rows ordered by key and position with
 * the columns: 0 what groups a key's rows, 1 its name (NULL: unnamed),
 * 2 the column, 3 the referenced schema (NULL: none), 4 the referenced
 * table, 5 the referenced column (NULL: its primary key), 6 ON DELETE and
 * 7 ON UPDATE, as `action` spells them (NULL: as read). In c's arena. */
void describe_fks(mconn *c, db_table *t, const qres *fk, const char *(*action)(const char *));

#endif
