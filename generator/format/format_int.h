/* Internals of the formatter shared by the layout engine (format.c), Prisma's
 * formatter additions (format_fix.c) and Prisma's naming (prisma_names.c). */
#ifndef PRISMAC_FORMAT_INT_H
#define PRISMAC_FORMAT_INT_H

#include <stddef.h>

#include "arena.h"
#include "ast.h"

/* The offset of the `}` closing block `t` of `text`, or `len` when the block
 * runs to the end of the file. */
size_t psl_format_close_brace(const char *text, size_t len, const psl_top *t);

/* cruet's to_camel_case, as Prisma names a back relation field:
 * `User_Profile` -> `userProfile`. In the arena. */
char *psl_prisma_camel(psl_arena *a, const char *s);
/* cruet's to_plural: `post` -> `posts`. In the arena. */
char *psl_prisma_plural(psl_arena *a, const char *w);

#endif
