#include "prisma/prisma.h"

const char *prisma_version(void)
{
    return PRISMA_VERSION_STRING;
}

int prisma_abi_version(void)
{
    return PRISMA_ABI_VERSION;
}
