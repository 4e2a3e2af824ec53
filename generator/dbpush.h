/* `prismac db push`: make a database match the schema (DDL as Prisma's
 * migration engine emits it). */
#ifndef PRISMAC_DBPUSH_H
#define PRISMAC_DBPUSH_H

/* Runs `prismac db push ARGS...` (ARGS after "push"); returns the exit status. */
int prismac_cmd_db_push(int argc, char **argv);

#endif
