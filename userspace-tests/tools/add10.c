// SPDX-License-Identifier: GPL-2.0
/*
 * add10 N: call add10(2) (system call 549) and print the result, or the
 * errno's name and description, e.g.
 *
 *   $ add10 10
 *   20
 *   $ add10 9223372036854775800
 *   add10: EOVERFLOW (Value too large for defined data type)
 *
 * Exit status: 0 success, 1 the call failed, 2 bad usage.
 */
#include "mysyscall.h"

int main(int argc, char **argv)
{
	char *end;
	long x, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: add10 N   (N: a long, decimal, 0x hex or 0 octal)\n");
		return 2;
	}
	errno = 0;
	x = strtol(argv[1], &end, 0);
	if (errno || end == argv[1] || *end) {
		fprintf(stderr, "add10: '%s' is not a long\n", argv[1]);
		return 2;
	}
	ret = add10(x);
	if (ret == -1 && errno) {
		fprintf(stderr, "add10: %s (%s)\n", strerrorname_np(errno), strerror(errno));
		return 1;
	}
	printf("%ld\n", ret);
	return 0;
}
