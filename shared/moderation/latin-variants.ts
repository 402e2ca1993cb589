/**
 * Latin letters that stand for an ASCII letter but that neither NFKD nor Unicode's confusables table
 * folds to it: small capitals (what "small caps" text generators emit) and the letters confusables.txt
 * uses as the prototype of a look-alike group (`ĸ` for Greek `κ` and Cyrillic `к`, `ᴛ` for `τ` and
 * `т`, `ʍ` for `м` and `ᴍ`). Kept by hand because Unicode files these as letters of their own.
 *
 * Read twice: at run time like every other look-alike, and by the confusables generator as a second
 * hop, so `κ` → `ĸ` → `k`.
 */
export const LATIN_VARIANTS: Readonly<Record<string, string>> = {
  // Small capitals confusables.txt keeps as their own prototype
  ᴀ: 'a', ʙ: 'b', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n',
  ᴘ: 'p', ꞯ: 'q', ʀ: 'r', ᴛ: 't',
  // Prototypes of look-alike groups: kra (κ к ᴋ), turned w (м ᴍ), tone six (ь), c with bar (ε є ɛ)
  ĸ: 'k', ʍ: 'm', ƅ: 'b', ꞓ: 'e',
};
