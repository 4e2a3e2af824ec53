/* prismac: the command line, a thin layer over the generator library. */
#include "cli.h"

int main(int argc, char **argv)
{
    return prismac_main(argc, argv);
}
