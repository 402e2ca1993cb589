import { describe, expect, it } from 'vitest';
import { compilePolicy, parseModerationPolicy } from '#shared/moderation/index.ts';

const policy = compilePolicy(
  parseModerationPolicy({ blocked: ['bad', 'shit', 'cock', 'ass', 'tit', 'cum', 'sex', 'porn', 'kill', 'idiot', 'loser'] }),
);
const blockedIn = (text: string) => policy.scan(text).map((match) => match.term);

describe('Function: compilePolicy()', () => {
  describe('Method: scan', () => {
    it.each([
      { case: 'negative circled letters', text: 'you 🅑🅐🅓 boy', term: 'bad' },
      { case: 'negative squared letters', text: 'that is 🅢🅗🅘🅣', term: 'shit' },
      { case: 'negative squared emoji letters', text: '🅿️🅾️🆁🅽️ here', term: 'porn' },
      { case: 'negative squared capitals', text: 'what a 🅻🅾🆂🅴🆁', term: 'loser' },
      { case: 'regional indicators spaced out', text: 'so 🇮 🇩 🇮 🇴 🇹', term: 'idiot' },
      { case: 'regional indicators kept apart by zero-width spaces', text: '🇰\u200b🇮\u200b🇱\u200b🇱 him', term: 'kill' },
      { case: 'Greek sigma for o', text: 'watch ρσrn', term: 'porn' },
      { case: 'Greek kappa, iota and capital iota', text: 'κιll them, ΚΙLL', term: 'kill' },
      { case: 'Greek tau and nu', text: 'ιdιστ', term: 'idiot' },
      { case: 'Cyrillic te, ka and o', text: 'сосκ and тіт', term: 'cock' },
      { case: 'Cyrillic capitals', text: 'ЅНІТ', term: 'shit' },
      { case: 'Cherokee capitals', text: 'ᏟᎾᏟᏦ', term: 'cock' },
    ])('finds a blocked term written in $case', ({ text, term }) => {
      // Act
      const found = blockedIn(text);

      // Assess
      expect(found).toContain(term);
    });

    it.each([
      { case: 'a Russian sentence', text: 'Привет, как дела? Кот спит на окне, сок и хлеб на столе.' },
      { case: 'a Russian sentence in capitals', text: 'СЕГОДНЯ ХОРОШАЯ ПОГОДА, ВСТРЕТИМСЯ У МЕТРО' },
      { case: 'a Greek sentence', text: 'Καλημέρα σας, τι κάνετε; Ο καιρός είναι πολύ καλός σήμερα.' },
      { case: 'a Greek sentence in capitals', text: 'ΚΑΛΟ ΤΑΞΙΔΙ ΚΑΙ ΚΑΛΗ ΔΙΑΜΟΝΗ ΣΤΟ ΣΠΙΤΙ' },
      { case: 'flags between words (Colombia, Cook Islands)', text: 'go 🇨🇴🇨🇰 go' },
      { case: 'flags that spell a term (Saint Helena, Italy)', text: 'from 🇸🇭🇮🇹 with love' },
      { case: 'a run of flags (American Samoa, Sweden, Cuba, Mexico)', text: '🇦🇸🇸🇪🇨🇺🇲🇽' },
      { case: 'emoji letters used as emoji', text: 'blood type 🅰️ or 🅱️, park at 🅿️' },
      { case: 'emoji between ordinary words', text: 'class 🎉 act, as 🙏 sign, assist 👍' },
    ])('finds nothing in $case', ({ text }) => {
      // Act
      const found = blockedIn(text);

      // Assess
      expect(found).toEqual([]);
    });

    it('masks the whole enclosed span, selectors included', () => {
      // Prepare
      const text = 'a 🅱️🅰️🅳 day';

      // Act
      const [match] = policy.scan(text);

      // Assess
      expect(text.slice(match!.start, match!.end)).toBe('🅱️🅰️🅳');
    });
  });
});
