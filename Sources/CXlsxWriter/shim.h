// libxlsxwriter (Debian libxlsxwriter-dev): XLSX workbooks with formats, frozen panes and charts.
#include <xlsxwriter.h>
