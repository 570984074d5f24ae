// SPDX-License-Identifier: GPL-2.0
/*
 * can-exec PROGRAM: can this kernel execute PROGRAM? /init asks it before
 * running the i386 and x32 test programs, which a kernel without
 * IA32_EMULATION or X86_X32_ABI refuses with ENOEXEC. (A shell cannot
 * tell: BusyBox sh runs a file it cannot execute as a shell script.)
 * PROGRAM runs with "-h" (the test harness's usage), its output thrown
 * away.
 *
 * Exit status: 0 it can, 1 execve() failed (the reason on stderr), 2 bad
 * usage.
 */
#include "mysyscall.h"

int main(int argc, char **argv)
{
	int fds[2], err = 0, status;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: can-exec PROGRAM\n");
		return 2;
	}
	if (pipe2(fds, O_CLOEXEC))
		return 1;
	pid = fork();
	if (pid == 0) {
		char *args[] = { argv[1], "-h", NULL };
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execv(argv[1], args);
		err = errno;	/* to the parent, through the pipe */
		if (write(fds[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		perror("can-exec: fork");
		return 1;
	}
	/* nothing to read: the pipe closed on a successful execve() */
	if (read(fds[0], &err, sizeof(err)) < 0)
		err = errno;
	waitpid(pid, &status, 0);
	if (err) {
		fprintf(stderr, "can-exec: %s: %s\n", argv[1], strerror(err));
		return 1;
	}
	return 0;
}
