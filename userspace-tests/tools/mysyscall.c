// SPDX-License-Identifier: GPL-2.0
/*
 * mysyscall "text": call mysyscall(2) (system call 548) with the text,
 * which the kernel logs as "mysyscall: text" (see dmesg), and print the
 * result, or the errno's name and description, e.g.
 *
 *   $ mysyscall "hello"; dmesg | tail -n 1
 *   0
 *   [   12.345678] mysyscall: hello
 *
 * With no argument it passes NULL (EFAULT). Exit status: 0 success, 1 the
 * call failed, 2 bad usage.
 */
#include "mysyscall.h"

int main(int argc, char **argv)
{
	long ret;

	if (argc > 2) {
		fprintf(stderr, "usage: mysyscall [TEXT]   (quote it: one argument; none passes NULL)\n");
		return 2;
	}
	ret = mysyscall(argc == 2 ? argv[1] : NULL);
	if (ret == -1 && errno) {
		fprintf(stderr, "mysyscall: %s (%s)\n", strerrorname_np(errno), strerror(errno));
		return 1;
	}
	printf("%ld\n", ret);
	return 0;
}
