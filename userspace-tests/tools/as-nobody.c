// SPDX-License-Identifier: GPL-2.0
/*
 * as-nobody PROGRAM [ARG...]: run PROGRAM as uid and gid 65534, with no
 * supplementary groups and so with no capabilities: how /init runs the
 * series' kselftests a second time, as an unprivileged user, where
 * mysyscall() must fail with EPERM and add10() work. (BusyBox's setpriv
 * cannot change the user.)
 *
 * Exit status: PROGRAM's; 126 if the user cannot be changed, 127 if
 * PROGRAM cannot be run, 2 bad usage.
 */
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#define NOBODY	65534

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: as-nobody PROGRAM [ARG...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY)) {
		fprintf(stderr, "as-nobody: cannot become uid %d: %s\n", NOBODY, strerror(errno));
		return 126;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "as-nobody: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
