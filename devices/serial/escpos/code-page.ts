/**
 * The printer's default code page, apart from the encoder so that the centre's schema can name it
 * without loading iconv-lite.
 *
 * ESC t number of WPC1258 (Windows-1258, Vietnamese) in Epson's character code table list (TM
 * series: 52, after WPC1257 = 51). Many other printers (Xprinter, Rongta, HPRT, Gprinter…) number
 * their tables differently, and some lack WPC1258 altogether (use 'ascii' there): the number is
 * therefore a setting, and this is only its default. Check the printer's self-test page.
 */
export const DEFAULT_WPC1258_CODE_PAGE = 52;
