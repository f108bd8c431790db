/* SPDX-License-Identifier: BSD-3-Clause */
/* ioctl(SIOCGIFFLAGS) on an sflow device name: some programs (argus) ask
 * the kernel whether the interface they capture on is up before reading,
 * and stop when the kernel knows no such interface. An sflow device is
 * up and running while the program runs, so that is the answer; every
 * other ioctl goes to the C library unchanged. */
#include <config.h>

#include <dlfcn.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>

#include "device.h"

/* Like dlsym.c: may run before a preloaded sanitizer runtime is ready. */
#define UNINSTRUMENTED __attribute__((no_sanitize("address", "undefined")))

typedef int (*ioctl_fn)(int, unsigned long, ...);

static _Atomic(ioctl_fn) real_ioctl;

__attribute__((visibility("default"))) UNINSTRUMENTED
int ioctl(int fd, unsigned long request, ...)
{
	va_list arguments;
	va_start(arguments, request);
	void *argument = va_arg(arguments, void *);
	va_end(arguments);

	if (request == SIOCGIFFLAGS && argument != NULL) {
		struct ifreq *ifr = argument;
		char name[IFNAMSIZ + 1];
		memcpy(name, ifr->ifr_name, IFNAMSIZ);
		name[IFNAMSIZ] = '\0';
		if (sflow_device_is_ours(name)) {
			ifr->ifr_flags = IFF_UP | IFF_RUNNING;
			return 0;
		}
	}
	ioctl_fn real = atomic_load(&real_ioctl);
	if (real == NULL) {
		*(void **)&real = dlsym(RTLD_NEXT, "ioctl");
		atomic_store(&real_ioctl, real);
	}
	return real(fd, request, argument);
}
