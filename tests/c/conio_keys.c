/*
 * conio_keys.c -- <conio.h>'s keyboard functions with standard input from a file (as a
 * test can give it): tests/capi_c.rs runs it with stdin holding "xy". _kbhit is non-zero
 * while bytes wait, _getch reads without echo, _getche echoes, end of file is not a key
 * and _getch returns EOF there.
 */
#include <conio.h>
#include <stdio.h>

int main(void)
{
    int waiting, a, b, after, end;
    waiting = _kbhit();
    a = _getch();
    b = _getche(); /* echoes 'y' */
    after = _kbhit();
    end = _getch();
    printf("|%d %c%c %d %d\n", waiting, a, b, after, end);
    return 0;
}
