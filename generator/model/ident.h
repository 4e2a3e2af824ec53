/* The one list of names generated C must not use (ident.c). */
#ifndef PRISMAC_IDENT_H
#define PRISMAC_IDENT_H

#include <stdbool.h>

/* Whether `s` cannot name anything in generated code, not even a struct
 * member: a keyword of C11, C23, C++ (through C++23) or GNU C, a macro the
 * generated files or a program including them may see (<stdbool.h>,
 * <stddef.h>, <stdint.h>, <stdio.h>, <stdlib.h>, <errno.h>, <assert.h>,
 * predefined `linux`/`unix`), or a name of those headers. */
bool psl_reserved_word(const char *s);

/* Whether `s` starts with the runtime's prefixes, prisma_ or PRISMA_. */
bool psl_has_runtime_prefix(const char *s);

/* Whether `s` is in the runtime's namespace: prisma_lower_case or
 * PRISMA_UPPER_CASE, not ending in '_' (the escape the schema model uses:
 * a model `prisma` is the type `prisma_`). */
bool psl_in_runtime_namespace(const char *s);

#endif
