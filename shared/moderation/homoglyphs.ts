/**
 * Look-alike letters from other scripts, folded to the Latin letter they imitate.
 *
 * Not the full Unicode confusables list: only Cyrillic, Greek and small-capital forms that are used to
 * dodge filters and that NFKD leaves alone. Case matters because a capital and its small letter can
 * imitate different Latin letters (Greek `Η` looks like H, `η` like n), so the upper-case table is
 * consulted before lower-casing and the lower-case one after.
 */

/** Checked on the character as written, before lower-casing. */
export const UPPER_HOMOGLYPHS: Readonly<Record<string, string>> = {
  // Cyrillic capitals
  А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x',
  Ѕ: 's', І: 'i', Ј: 'j', Ԛ: 'q', Ԝ: 'w', Ү: 'y', Һ: 'h', Ӏ: 'l', Ь: 'b',
  // Greek capitals
  Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't',
  Υ: 'y', Χ: 'x',
};

/** Checked after lower-casing. */
export const LOWER_HOMOGLYPHS: Readonly<Record<string, string>> = {
  // Cyrillic small letters
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', һ: 'h', ӏ: 'l', п: 'n', ь: 'b',
  // Greek small letters (ς and ϲ are sigma forms that look like c)
  α: 'a', β: 'b', γ: 'y', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p',
  τ: 't', υ: 'u', χ: 'x', ω: 'w', ϲ: 'c', ς: 'c',
  // Latin small capitals and variants NFKD does not decompose
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ғ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l',
  ᴍ: 'm', ɴ: 'n', ᴏ: 'o', ᴘ: 'p', ǫ: 'q', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y',
  ᴢ: 'z', ı: 'i', ɩ: 'i', ɑ: 'a', ɡ: 'g', ß: 'ss',
};
