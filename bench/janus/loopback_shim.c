/*
 * LD_PRELOAD shim for benchmarks on one machine: Janus (and libnice under it) skip interfaces flagged
 * IFF_LOOPBACK when they gather ICE host candidates, so with everything on 127.0.0.1 they would offer
 * only the host's other addresses. This wraps getifaddrs(3) and clears IFF_LOOPBACK in its results, so
 * "lo" looks like any other interface and ice_enforce_list = "lo" keeps the media on 127.0.0.1.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stddef.h>

int getifaddrs(struct ifaddrs **ifap)
{
    static int (*real)(struct ifaddrs **) = NULL;
    if (real == NULL)
        real = (int (*)(struct ifaddrs **))dlsym(RTLD_NEXT, "getifaddrs");
    if (real == NULL)
        return -1;
    int rc = real(ifap);
    if (rc == 0)
        for (struct ifaddrs *i = *ifap; i != NULL; i = i->ifa_next)
            i->ifa_flags &= ~IFF_LOOPBACK;
    return rc;
}
