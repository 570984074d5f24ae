#define _GNU_SOURCE
#include <unistd.h>
#include <sys/syscall.h>
#include <stdio.h>
#ifndef __NR_mysyscall
#define __NR_mysyscall 548
#endif
int main() {
const char *msg = "Hello from user space!";
long res = syscall(__NR_mysyscall, msg);
if (res == 0)
printf("mysyscall succeeded!\n");
else
perror("mysyscall failed");
return 0;
}
