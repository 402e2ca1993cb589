import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFUSABLE_LETTERS } from '#shared/moderation/confusable-letters.ts';
import { LOOK_ALIKES } from '#shared/moderation/homoglyphs.ts';
import { buildConfusableLetters, loadConfusables, renderModule } from '../../scripts/generate-confusable-letters.ts';

describe('Module: confusable-letters (generated)', () => {
  it('is exactly what the generator makes from the installed confusables data', () => {
    // Prepare
    const { confusables, packageVersion } = loadConfusables();
    const committed = readFileSync(new URL('../../shared/moderation/confusable-letters.ts', import.meta.url), 'utf8');

    // Act
    const generated = renderModule(buildConfusableLetters(confusables), packageVersion);

    // Assess
    expect(generated).toBe(committed);
  });

  it('folds only non-ASCII characters, and only to a small letter or the leet bar', () => {
    // Assess
    for (const [source, target] of Object.entries(CONFUSABLE_LETTERS)) {
      expect(source.codePointAt(0)).toBeGreaterThanOrEqual(0x80);
      expect(target).toMatch(/^[a-z|]$/);
    }
  });

  it('leaves out scripts whose everyday text would fold wholesale', () => {
    // Assess
    const keys = Object.keys(CONFUSABLE_LETTERS).join('');
    expect(keys).not.toMatch(/[\p{Script=Lisu}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Devanagari}\p{Script=Thai}]/u);
    expect(keys).not.toMatch(/\p{N}/u);
  });
});

describe('Constant: LOOK_ALIKES', () => {
  it.each([
    ...['α a', 'σ o', 'ν v', 'κ k', 'ρ p', 'τ t', 'ι i', 'η n', 'υ u', 'γ y', 'Ι i', 'Η h', 'Ν n', 'Τ t'],
    ...['а a', 'е e', 'о o', 'р p', 'с c', 'у y', 'х x', 'і i', 'ј j', 'ѕ s', 'һ h', 'ԁ d', 'ԛ q', 'ԝ w'],
    ...['к k', 'т t', 'м m', 'в b', 'н h', 'п n', 'І i', 'ᴍ m', 'ꜱ s', 'ß ss'],
  ].map((pair) => pair.split(' ') as [string, string]))('folds %s to %s', (source, target) => {
    // Assess
    expect(LOOK_ALIKES.get(source)).toBe(target);
  });
});
