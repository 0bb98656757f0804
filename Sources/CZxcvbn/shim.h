// zxcvbn-c (Debian libzxcvbn-dev): a password strength estimate, its dictionaries built in.
#include <zxcvbn.h>
