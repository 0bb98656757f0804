// libqrencode (Debian libqrencode-dev): QR codes (ISO/IEC 18004) as module matrices.
#include <qrencode.h>
