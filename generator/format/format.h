/* `prismac format`: Prisma's canonical schema layout, rendered from the
 * syntax tree (the rules of prisma-engines' schema-ast reformatter), plus the
 * relation pieces Prisma's formatter adds (psl-core's reformat.rs).
 *
 * Comments, empty lines and invalid lines are kept; invalid lines are written
 * verbatim and take no part in column alignment. */
#ifndef PRISMAC_FORMAT_H
#define PRISMAC_FORMAT_H

#include <stddef.h>

#include "ast.h"
#include "schema.h"

/* Formats a parsed schema in Prisma's canonical layout, adding nothing.
   Returns a malloc'd NUL-terminated string (caller frees) and its length in
   *out_len, or NULL when out of memory. `ast` must be the tree psl_parse
   built from `src` (not NULL). */
char *psl_format(const psl_ast *ast, const psl_source *src, size_t *out_len);

/* Formats a loaded schema like psl_format, and first adds what Prisma's
   formatter adds when the schema parses and its names resolve: a relation
   field's missing opposite field, the scalar fields of its foreign key and
   its missing @relation(fields: [...], references: [...]) arguments. Errors
   of the validation proper (the missing opposite field itself) do not stop
   it. A schema of several files is formatted one file at a time: `file`
   (psl_span.file) says which; what Prisma adds goes into the file of the
   model it belongs to. Same result convention as psl_format; NULL too when
   the schema did not parse (`s->ast` NULL). */
char *psl_format_schema(const psl_schema *s, unsigned file, size_t *out_len);

#endif
