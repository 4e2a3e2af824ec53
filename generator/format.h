/* `prismac format`: Prisma's canonical schema layout, rendered from the
 * syntax tree (the rules of prisma-engines' schema-ast reformatter).
 *
 * Comments, empty lines and invalid lines are kept; invalid lines are written
 * verbatim and take no part in column alignment. Relation fields or
 * attributes that Prisma's formatter would add are not added: that needs the
 * checked schema model. */
#ifndef PRISMAC_FORMAT_H
#define PRISMAC_FORMAT_H

#include <stddef.h>

#include "ast.h"

/* Formats a parsed schema in Prisma's canonical layout. Returns a malloc'd NUL-terminated
   string (caller frees) and its length in *out_len, or NULL when out of memory.
   `ast` must be the tree psl_parse built from `src` (not NULL). */
char *psl_format(const psl_ast *ast, const psl_source *src, size_t *out_len);

#endif
