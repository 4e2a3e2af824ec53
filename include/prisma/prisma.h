/* libprisma: the runtime of prismac-generated clients.
 *
 * Conventions, as in SQLite and libpq: functions return an int status
 * (PRISMA_OK on success) and the last error lives on the handle that ran the
 * call. Everything returned to the caller is owned by the caller and freed
 * with the matching *_free function; every free function accepts NULL. */
#ifndef PRISMA_PRISMA_H
#define PRISMA_PRISMA_H

#ifdef __cplusplus
extern "C" {
#endif

#define PRISMA_VERSION_MAJOR 0
#define PRISMA_VERSION_MINOR 1
#define PRISMA_VERSION_PATCH 0
#define PRISMA_VERSION_STRING "0.1.0"
/* Generated code checks this at compile time against the version it was
 * generated for; see the guard in every generated header. */
#define PRISMA_ABI_VERSION 1

enum {
    PRISMA_OK = 0,
    PRISMA_ERROR = 1 /* the details are on the handle */
};

/* The runtime's version, e.g. "0.1.0". */
const char *prisma_version(void);
/* The ABI version the runtime was built with; equals PRISMA_ABI_VERSION. */
int prisma_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif
