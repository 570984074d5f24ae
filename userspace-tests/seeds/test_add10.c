/*
 * Seed 000's check of its add-10 system call: a user program calls it with
 * 10 and prints what comes back. Seed 000 used number 442, which upstream
 * gave to mount_setattr in 5.12; this series uses 549.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_add10
#define __NR_add10 549
#endif

int main(void)
{
	long x = 10;
	long res = syscall(__NR_add10, x);

	printf("%ld -> %ld\n", x, res);
	return res == x + 10 ? 0 : 1;
}
